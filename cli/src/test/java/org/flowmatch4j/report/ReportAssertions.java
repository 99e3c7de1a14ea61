package org.flowmatch4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;

/** Checks on written reports shared by the report and CLI tests. */
public final class ReportAssertions {
    private ReportAssertions() {
    }

    private static final Pattern SRC_OR_HREF = Pattern.compile("(?i)(src|href)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern IMG_SRC = Pattern.compile("(?i)<img[^>]*\\ssrc=\"([^\"]*)\"");

    /**
     * Checks that {@code html} needs nothing from outside: no http(s) links or sources at all, and every
     * {@code <img>} is a PNG data URI that ImageIO decodes; returns the decoded images.
     */
    public static List<BufferedImage> assertSelfContained(String html) throws IOException {
        Matcher m = SRC_OR_HREF.matcher(html);
        while (m.find()) {
            assertThat(m.group(2)).as("a %s attribute", m.group(1)).doesNotStartWithIgnoringCase("http:").doesNotStartWithIgnoringCase("https:")
                    .doesNotStartWith("//");
        }
        assertThat(html).doesNotContainPattern("(?i)<link[^>]+stylesheet").doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)url\\(");
        List<BufferedImage> images = new ArrayList<>();
        Matcher img = IMG_SRC.matcher(html);
        while (img.find()) {
            String src = img.group(1);
            assertThat(src).startsWith("data:image/png;base64,");
            BufferedImage bi = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
            assertThat(bi).as("an embedded image decodes").isNotNull();
            images.add(bi);
        }
        return images;
    }

    /** Parses an SVG file with the JDK's XML parser (namespace aware) and returns the document. */
    public static Document parseSvg(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        return doc;
    }

    /** Reads a PNG file and checks it decodes. */
    public static BufferedImage readPng(Path file) throws IOException {
        BufferedImage img = ImageIO.read(Files.newInputStream(file));
        assertThat(img).as("%s decodes as an image", file).isNotNull();
        return img;
    }
}
