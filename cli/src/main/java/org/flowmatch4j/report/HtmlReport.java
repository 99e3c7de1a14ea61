package org.flowmatch4j.report;

import java.util.Base64;
import java.util.List;

/**
 * Builds one self-contained HTML page: headings, paragraphs, figures embedded as {@code data:} URIs, tables
 * and preformatted text, with inline CSS and no external resources, so the file opens offline. All text is
 * escaped. A small inline script marks the document when the page has loaded: {@code data-images="ok"} on
 * {@code <body>} when every image decoded ({@code naturalWidth > 0}), {@code "broken:N"} otherwise; headless
 * browser checks read it back.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0;color:#222;background:#fafafa}
            main{max-width:1240px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh;box-sizing:border-box}
            h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:32px 0 8px;border-bottom:1px solid #e4e4e4;padding-bottom:4px}
            p{line-height:1.45;margin:6px 0}.sub{color:#666;margin-bottom:18px}.note{color:#7a5b00;background:#fff8e1;padding:6px 10px;border-radius:4px}
            figure{margin:10px 0 18px}figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{color:#555;font-size:.92em;margin-top:4px;line-height:1.4}
            table{border-collapse:collapse;font-size:.95em;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 10px;text-align:left}
            th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            pre{background:#f6f6f6;border:1px solid #e6e6e6;padding:10px;overflow:auto;font-size:.85em;line-height:1.35}
            """;
    private static final String CHECK_SCRIPT = """
            window.addEventListener('load',function(){var imgs=document.images,bad=0;
            for(var i=0;i<imgs.length;i++){if(!(imgs[i].complete&&imgs[i].naturalWidth>0)){bad++;}}
            document.body.setAttribute('data-images',bad===0?'ok':'broken:'+bad);
            document.body.setAttribute('data-image-count',String(imgs.length));});
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder(1 << 16);
    private int figures;

    /** A page with a title (shown as the heading and in the browser tab) and an optional subtitle. */
    public HtmlReport(String title, String subtitle) {
        this.title = title;
        body.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        if (subtitle != null) {
            body.append("<p class=\"sub\">").append(Html.escape(subtitle)).append("</p>\n");
        }
    }

    /** A section heading. */
    public HtmlReport section(String heading) {
        body.append("<h2>").append(Html.escape(heading)).append("</h2>\n");
        return this;
    }

    /** A paragraph of text. */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /** A highlighted note (something skipped or worth knowing). */
    public HtmlReport note(String text) {
        body.append("<p class=\"note\">").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /** A PNG figure of {@code width × height} CSS pixels with a caption, embedded as a data URI. */
    public HtmlReport figure(byte[] png, int width, int height, String alt, String caption) {
        figures++;
        body.append("<figure><img width=\"").append(width).append("\" height=\"").append(height).append("\" alt=\"").append(Html.escape(alt))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">");
        if (caption != null) {
            body.append("<figcaption>").append(Html.escape(caption)).append("</figcaption>");
        }
        body.append("</figure>\n");
        return this;
    }

    /** A table; cells that parse as numbers are right-aligned. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<thead><tr>");
        for (String h : header) {
            body.append("<th>").append(Html.escape(h)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) {
                body.append(isNumber(c) ? "<td class=\"num\">" : "<td>").append(Html.escape(c)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** Preformatted text (e.g. JSON). */
    public HtmlReport code(String text) {
        body.append("<pre>").append(Html.escape(text)).append("</pre>\n");
        return this;
    }

    /** Number of figures added. */
    public int figureCount() {
        return figures;
    }

    /** The complete document. */
    public String toHtml() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Html.escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n" + body
                + "</main>\n<script>\n" + CHECK_SCRIPT + "</script>\n</body>\n</html>\n";
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
