package org.flowmatch4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowmatch4j.cli.FlowCommandsTest.Run;
import org.flowmatch4j.io.Json;
import org.flowmatch4j.io.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --method}: every method writes a model directory that sample, logprob and eval accept; misplaced options are refused. */
class TrainMethodsTest {
    @TempDir
    Path dir;

    private static Run run(String... args) {
        return FlowCommandsTest.run(args);
    }

    private static JsonObject json(Run r) {
        return Json.parseObject(r.last(), "stdout");
    }

    @Test
    void everyMethodTrainsAndItsModelSamplesEvaluatesAndScores() throws IOException {
        for (String method : new String[] {"nf", "cnf", "diffusion", "reflow"}) {
            Path m = dir.resolve(method);
            Run t = run("train", "--method", method, "--data", "moons", "--out", m.toString(), "--steps", method.equals("cnf") ? "30" : method.equals("diffusion") ? "800" : "150",
                    "--hidden", "16", "--layers", "2", "--batch", "64", "--threads", "1", "--seed", "2");
            assertThat(t.code()).as(method + ": " + t.err()).isZero();
            assertThat(json(t).string("method")).isEqualTo(method);
            assertThat(Files.readString(m.resolve("config.json"))).contains("\"method\": \"" + method + "\"");
            assertThat(m.resolve("train-log.csv")).isRegularFile();
            assertThat(Files.readString(m.resolve(TrainCommand.EFFECTIVE_CONFIG))).contains("method: " + method);

            String[] solver = method.equals("nf") ? new String[0] : new String[] {"--solver", "rk4", "--steps", "10"};
            Run s = run(concat(new String[] {"sample", "--model", m.toString(), "--n", "200", "--out", m.resolve("s.csv").toString()}, solver));
            assertThat(s.code()).as(method + " sample: " + s.err()).isZero();
            assertThat(Files.readAllLines(m.resolve("s.csv"))).hasSize(201);
            Run lp = run(concat(new String[] {"logprob", "--model", m.toString(), "--input", m.resolve("s.csv").toString(), "--out",
                    m.resolve("lp.csv").toString()}, solver));
            assertThat(lp.code()).as(method + " logprob: " + lp.err()).isZero();
            assertThat(json(lp).number("mean_logprob")).isFinite();
            Run ev = run(concat(new String[] {"eval", "--model", m.toString(), "--data", "moons", "--n", "300"}, solver));
            assertThat(ev.code()).as(method + " eval: " + ev.err()).isZero();
            assertThat(json(ev).number("w2")).isLessThan(1.5);
        }
        assertThat(dir.resolve("reflow").resolve("teacher").resolve("config.json")).isRegularFile();
        assertThat(json(run("train", "--method", "cnf", "--data", "moons", "--out", dir.resolve("c2").toString(), "--steps", "5",
                "--hidden", "8", "--cnf-solver", "euler", "--cnf-steps", "3", "--threads", "1")).number("nfe_per_step")).isEqualTo(3.0);
    }

    @Test
    void reflowFromATeacherDirectory() throws IOException {
        Path teacher = dir.resolve("t");
        assertThat(run("train", "--data", "8gaussians", "--out", teacher.toString(), "--steps", "100", "--hidden", "16", "--threads", "1")
                .code()).isZero();
        Path student = dir.resolve("s");
        Run r = run("train", "--method", "reflow", "--teacher", teacher.toString(), "--out", student.toString(), "--steps", "50",
                "--reflow-pairs", "500", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(json(r).integer("pairs")).isEqualTo(500);
        Run withData = run("train", "--method", "reflow", "--teacher", teacher.toString(), "--data", "moons", "--out",
                dir.resolve("s2").toString());
        assertThat(withData.code()).isEqualTo(2);
        assertThat(withData.err()).contains("--data does not apply with --teacher");
        Run nfTeacher = run("train", "--method", "nf", "--data", "moons", "--out", dir.resolve("nf").toString(), "--steps", "5", "--hidden", "8",
                "--threads", "1");
        assertThat(nfTeacher.code()).isZero();
        Run bad = run("train", "--method", "reflow", "--teacher", dir.resolve("nf").toString(), "--out", dir.resolve("s3").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("reflow needs an fm or reflow model");
    }

    @Test
    void standardizeNoneTrainsOnTheDataAsGivenAndUnknownValuesAreRefused() throws IOException {
        for (String method : new String[] {"fm", "nf"}) {
            Path m = dir.resolve("raw-" + method);
            Run t = run("train", "--method", method, "--data", "moons", "--out", m.toString(), "--steps", "20", "--hidden", "16",
                    "--threads", "1", "--standardize", "none");
            assertThat(t.code()).as(method + ": " + t.err()).isZero();
            String cfg = Files.readString(m.resolve("config.json"));
            assertThat(cfg.replaceAll("\\s", "")).contains("\"mean\":[0.0,0.0]").contains("\"std\":[1.0,1.0]");
            assertThat(Files.readString(m.resolve(TrainCommand.EFFECTIVE_CONFIG))).contains("standardize: none");
        }
        Path d = dir.resolve("std");
        assertThat(run("train", "--data", "moons", "--out", d.toString(), "--steps", "20", "--hidden", "16", "--threads", "1").code()).isZero();
        assertThat(Files.readString(d.resolve("config.json")).replaceAll("\\s", "")).doesNotContain("\"std\":[1.0,1.0]");
        Run bad = run("train", "--data", "moons", "--out", dir.resolve("bad").toString(), "--standardize", "minmax");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--standardize minmax: unknown; valid: per-column, none");
    }

    @Test
    void toyPointsSetsHowManyPointsABuiltInGeneratorDrawsAndIsRefusedOtherwise() throws IOException {
        for (String method : new String[] {"fm", "nf"}) {
            Path m = dir.resolve("pts-" + method);
            Run t = run("train", "--method", method, "--data", "moons", "--out", m.toString(), "--steps", "20", "--hidden", "16",
                    "--threads", "1", "--toy-points", "3000");
            assertThat(t.code()).as(method + ": " + t.err()).isZero();
            assertThat(t.out()).contains("\"rows\":3000");
            assertThat(Files.readString(m.resolve(TrainCommand.EFFECTIVE_CONFIG))).contains("toy-points: 3000");
        }
        Path csv = dir.resolve("pts.csv");
        Files.writeString(csv, "x,y\n0,1\n1,0\n2,2\n");
        Run withCsv = run("train", "--data", csv.toString(), "--out", dir.resolve("bad1").toString(), "--toy-points", "100");
        assertThat(withCsv.code()).isEqualTo(2);
        assertThat(withCsv.err()).contains("--toy-points is for built-in data");
        Run zero = run("train", "--data", "moons", "--out", dir.resolve("bad2").toString(), "--toy-points", "0");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--toy-points must be positive, got 0");
        assertThat(dir.resolve("bad1")).doesNotExist();
        assertThat(dir.resolve("bad2")).doesNotExist();
    }

    @Test
    void optionsAMethodDoesNotTakeAreRefused() {
        String out = dir.resolve("x").toString();
        assertRefused(run("train", "--method", "diffusion", "--data", "moons", "--out", out, "--coupling", "exact-ot"), "--coupling");
        assertRefused(run("train", "--method", "nf", "--data", "moons", "--out", out, "--path", "vp", "--ema", "0.9"), "--ema, --path");
        assertRefused(run("train", "--method", "cnf", "--data", "moons", "--out", out, "--couplings", "4"), "--couplings");
        assertRefused(run("train", "--method", "fm", "--data", "moons", "--out", out, "--divergence", "exact"), "--divergence");
        assertRefused(run("train", "--method", "nf", "--data", "moons", "--out", out, "--checkpoint-every", "10"), "--checkpoint-every");
        assertRefused(run("train", "--method", "cnf", "--resume", out), "--resume");
        Run unknown = run("train", "--method", "gan", "--data", "moons", "--out", out);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--method gan: unknown; valid: fm, nf, cnf, diffusion, reflow");
        Run probes = run("train", "--method", "cnf", "--data", "moons", "--out", out, "--probes", "3");
        assertThat(probes.code()).isEqualTo(2);
        assertThat(probes.err()).contains("--probes applies to --divergence hutchinson");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aDiffusionRunIsVpWithTheEpsilonTarget() throws IOException {
        Path m = dir.resolve("d");
        assertThat(run("train", "--method", "diffusion", "--data", "moons", "--out", m.toString(), "--steps", "20", "--hidden", "8",
                "--threads", "1").code()).isZero();
        String cfg = Files.readString(m.resolve("config.json"));
        assertThat(cfg).contains("\"path\": \"vp\"").contains("\"target\": \"epsilon\"").contains("\"coupling\": \"independent\"");
        // the effective config reruns as it is (it leaves out the options diffusion fixes)
        Run again = run("train", "--config", m.resolve(TrainCommand.EFFECTIVE_CONFIG).toString(), "--out", dir.resolve("d2").toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("d2").resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(m.resolve("model.safetensors")));
    }

    private static void assertRefused(Run r, String options) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(options).contains("not apply to --method");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
