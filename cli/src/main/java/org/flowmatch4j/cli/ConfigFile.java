package org.flowmatch4j.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command's options as a YAML or JSON file ({@code --config FILE}): keys are option names without the
 * leading dashes ({@code steps: 2000}, {@code coupling: exact-ot}), values single scalars. The keys are mapped
 * onto the command's picocli {@link OptionSpec}s, so every option of the command is accepted with no list kept
 * here, and each value is converted and checked by the same converter as on the command line; an option given
 * on the command line wins over the file. Unknown keys, lists, maps and values that do not convert are usage
 * errors naming the file and the key. JSON is read by the same parser (a JSON object is YAML flow syntax).
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** The option's key in a config file: its longest name without the leading dashes. */
    static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    /**
     * Reads the top-level mapping of a YAML/JSON file (an empty file is an empty mapping).
     *
     * @throws IllegalStateException     if the file cannot be read (a runtime failure)
     * @throws ParameterException        if it is not a mapping of names to values (a usage error)
     */
    static Map<String, Object> read(CommandSpec spec, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("config file " + file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("config file " + file + ": cannot read the file: permission denied", e);
        } catch (MalformedInputException e) {
            throw new ParameterException(spec.commandLine(), "config file " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalStateException("config file " + file + ": cannot read the file: " + e, e);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new ParameterException(spec.commandLine(), "config file " + file + ": not valid YAML or JSON: " + e.getMessage().strip());
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map)) {
            throw new ParameterException(spec.commandLine(), "config file " + file + ": expected a mapping of option names to values (e.g. "
                    + "\"steps: 2000\"), found " + describe(doc));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new ParameterException(spec.commandLine(), "config file " + file + ": key " + e.getKey() + " is not a name");
            }
            out.put((String) e.getKey(), e.getValue());
        }
        return out;
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof Collection) {
            return "a list";
        }
        return "the value \"" + v + "\"";
    }

    /**
     * The options of {@code spec} a file may set: all but help/version and those named in {@code excluded}, by key.
     */
    static Map<String, OptionSpec> settable(CommandSpec spec, Set<String> excluded) {
        Map<String, OptionSpec> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.usageHelp() && !o.versionHelp() && !excluded.contains(key(o))) {
                out.put(key(o), o);
            }
        }
        return out;
    }

    /**
     * Sets the options named in {@code values} that the command line did not give; returns the keys it set.
     * Everything is checked before any option changes.
     *
     * @param source   what to call the values in messages (e.g. "config file run.yaml")
     * @param excluded keys a file may not set (e.g. "config" itself)
     */
    static Set<String> apply(CommandSpec spec, Map<String, Object> values, String source, Set<String> excluded) {
        Map<String, OptionSpec> settable = settable(spec, excluded);
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!settable.containsKey(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), source + ": unknown key" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + " (valid keys: " + String.join(", ", new TreeSet<>(settable.keySet())) + ")");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        Converter converter = new Converter(spec, source);
        Map<OptionSpec, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            OptionSpec o = settable.get(e.getKey());
            if (given == null || !given.hasMatchedOption(o)) {
                converted.put(o, converter.convert(o, e.getValue()));
            }
        }
        Set<String> set = new java.util.LinkedHashSet<>();
        converted.forEach((o, v) -> {
            o.setValue(v);
            set.add(key(o));
        });
        return set;
    }

    /**
     * Converts scalars read from a file to their options' types with picocli's own converters (by parsing
     * {@code --name=value} into a scratch instance of the command), so a file value means what it would on the
     * command line.
     */
    static final class Converter {
        private final CommandSpec spec;
        private final String source;
        private final CommandLine scratch;

        /** @param source what to call the values in messages */
        Converter(CommandSpec spec, String source) {
            this.spec = spec;
            this.source = source;
            this.scratch = new CommandLine(spec.userObject().getClass());
        }

        /** The value of option {@code o} for {@code raw} (null stays null). */
        Object convert(OptionSpec o, Object raw) {
            if (raw == null) {
                return null;
            }
            if (raw instanceof Map || raw instanceof Collection) {
                throw new ParameterException(spec.commandLine(), source + ": key " + key(o) + " must be a single value, found " + describe(raw));
            }
            String text = raw instanceof Double ? org.flowmatch4j.io.Json.formatDouble((Double) raw) : String.valueOf(raw);
            try {
                scratch.parseArgs(o.longestName() + "=" + text);
            } catch (ParameterException e) {
                throw new ParameterException(spec.commandLine(), source + ": key " + key(o) + ": " + e.getMessage());
            }
            return scratch.getCommandSpec().findOption(o.longestName()).getValue();
        }
    }

    /** The current values of the options a file may set (those with a value), files as strings. */
    static Map<String, Object> effective(CommandSpec spec, Set<String> excluded) {
        Map<String, Object> out = new LinkedHashMap<>();
        settable(spec, excluded).forEach((k, o) -> {
            Object v = o.getValue();
            if (v instanceof Path) {
                v = v.toString();
            }
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Block-style YAML of a flat mapping (read back by {@link #read}). */
    static String toYaml(Map<String, Object> values) {
        DumperOptions d = new DumperOptions();
        d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(d).dump(values);
    }
}
