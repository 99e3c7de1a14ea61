package org.flowmatch4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private DataFormatException failure(String name, String content) throws IOException {
        Path p = file(name, content);
        DataFormatException e = catchThrowableOfType(() -> CsvReader.read(p), DataFormatException.class);
        assertThat(e).as("reading %s should fail", name).isNotNull();
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).startsWith(p.toString());
        return e;
    }

    @Test
    void readsHeaderAndRowsWithAnyColumnCount() throws IOException {
        Dataset d = CsvReader.read(file("ok.csv", "a,b,c\n1,2,3\n-4.5,6e-3,+7\n"));
        assertThat(d.columnNames()).containsExactly("a", "b", "c");
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.toArray()).containsExactly(1f, 2f, 3f, -4.5f, 6e-3f, 7f);
        Dataset one = CsvReader.read(file("one.csv", "v\n1\n2\n3\n"));
        assertThat(one.dim()).isEqualTo(1);
        assertThat(one.toArray()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void acceptsCrlfQuotesSpacesBomAndTrailingBlankLines() throws IOException {
        Dataset d = CsvReader.read(file("win.csv", "\uFEFF\"x, left\",\"y \"\"q\"\"\"\r\n\"1.5\", 2 \r\n 3 ,\"-4\"\r\n\r\n  \r\n"));
        assertThat(d.columnNames()).containsExactly("x, left", "y \"q\"");
        assertThat(d.toArray()).containsExactly(1.5f, 2f, 3f, -4f);
    }

    @Test
    void valuesRoundToNearestFloat32() throws IOException {
        Dataset d = CsvReader.read(file("r.csv", "x\n0.1\n16777217\n"));
        assertThat(Float.floatToRawIntBits(d.get(0, 0))).isEqualTo(Float.floatToRawIntBits(0.1f));
        assertThat(d.get(1, 0)).isEqualTo(16777216f); // 2^24 + 1 ties to even
    }

    @Test
    void missingValueNamesFileLineAndColumn() throws IOException {
        DataFormatException e = failure("missing.csv", "x,y\n1,2\n3,\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(2);
        assertThat(e.columnName()).isEqualTo("y");
        assertThat(e.getMessage()).contains("missing.csv, line 3, column 2 (\"y\")").contains("missing value");
        assertThat(failure("missing2.csv", "x,y\n1,2\n,4\n").getMessage()).contains("line 3, column 1 (\"x\")").contains("missing value");
        assertThat(failure("missing3.csv", "x,y\n1,2\n3,\"\"\n").getMessage()).contains("line 3, column 2 (\"y\")").contains("missing value");
    }

    @Test
    void nonNumbersAreRejectedIncludingJavaOnlySyntax() throws IOException {
        assertThat(failure("word.csv", "x,y\n1,2\n3,abc\n").getMessage()).contains("word.csv, line 3, column 2 (\"y\")")
                .contains("not a number: \"abc\"");
        // Java's parser would accept these; a CSV of numbers should not
        for (String bad : new String[] {"1f", "2d", "0x1p3", "1.2.3", "--1", "e5", "1,5"}) {
            String content = "x,y\n1,2\n3," + (bad.contains(",") ? "\"" + bad + "\"" : bad) + "\n";
            DataFormatException e = failure("bad" + bad.hashCode() + ".csv", content);
            assertThat(e.getMessage()).as(bad).contains("line 3, column 2 (\"y\")").contains("not a number");
        }
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        for (String v : new String[] {"NaN", "nan", "Infinity", "-Infinity", "inf", "+Inf"}) {
            DataFormatException e = failure("nonfinite" + Math.abs(v.hashCode()) + ".csv", "p,q\n1,2\n" + v + ",4\n");
            assertThat(e.getMessage()).as(v).contains("line 3, column 1 (\"p\")").contains("NaN and ±Inf are not data");
        }
        assertThat(failure("big.csv", "p,q\n1,2\n1e39,4\n").getMessage()).contains("line 3, column 1 (\"p\")").contains("float32 range");
    }

    @Test
    void raggedRowsSayExpectedAndFound() throws IOException {
        DataFormatException shortRow = failure("short.csv", "a,b,c\n1,2,3\n4,5\n");
        assertThat(shortRow.getMessage()).contains("short.csv, line 3, column 3 (\"c\")").contains("expected 3 fields").contains("found 2");
        DataFormatException longRow = failure("long.csv", "a,b\n1,2\n3,4\n5,6,7\n");
        assertThat(longRow.getMessage()).contains("long.csv, line 4, column 3").contains("expected 2 fields").contains("found 3");
        assertThat(longRow.line()).isEqualTo(4);
    }

    @Test
    void fileLevelProblems() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> CsvReader.read(missing)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("file not found");
        assertThatThrownBy(() -> CsvReader.read(dir)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("directory");
        assertThat(failure("empty.csv", "").getMessage()).contains("empty.csv").contains("is empty");
        assertThat(failure("blank.csv", "\n  \n\r\n").getMessage()).contains("is empty");
        assertThat(failure("header.csv", "x,y\n").getMessage()).contains("header.csv").contains("header (x,y) but no data rows");
        assertThat(failure("header2.csv", "x,y\n\n\n").getMessage()).contains("no data rows");
        assertThat(failure("single.csv", "x,y\n1,2\n").getMessage()).contains("single.csv").contains("has 1 data row")
                .contains("at least 2 are needed to train or evaluate");
        assertThat(failure("numeric.csv", "1,2\n3,4\n5,6\n").getMessage()).contains("numeric.csv, line 1")
                .contains("only numbers").contains("header row").contains("x0,x1");
        assertThat(failure("numericonly.csv", "1.5,2\n").getMessage()).contains("line 1").contains("header row");
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path p = file("secret.csv", "x\n1\n2\n");
        try {
            Files.setPosixFilePermissions(p, java.util.Set.of());
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no POSIX permissions here");
        }
        // root reads anything: then there is nothing to test
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(p), "running with permission to read everything");
        assertThatThrownBy(() -> CsvReader.read(p)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("permission denied");
    }

    @Test
    void minRowsIsAParameter() throws IOException {
        Path p = file("three.csv", "x\n1\n2\n3\n");
        assertThat(CsvReader.read(p, 3).size()).isEqualTo(3);
        assertThat(CsvReader.read(file("single1.csv", "x\n7\n"), 1).toArray()).containsExactly(7f);
        assertThatThrownBy(() -> CsvReader.read(p, 4)).hasMessageContaining("has 3 data rows; at least 4");
        assertThatThrownBy(() -> CsvReader.read(p, 0)).hasMessageContaining("minRows must be >= 1, got 0");
    }

    @Test
    void headerProblems() throws IOException {
        assertThat(failure("emptyname.csv", "x,,z\n1,2,3\n4,5,6\n").getMessage()).contains("line 1, column 2").contains("empty column name");
        assertThat(failure("dup.csv", "x,y,x\n1,2,3\n4,5,6\n").getMessage()).contains("line 1, column 3 (\"x\")").contains("duplicate")
                .contains("also column 1");
        assertThat(failure("quote.csv", "\"x,y\n1\n2\n").getMessage()).contains("line 1, column 1").contains("unterminated quoted field");
    }

    @Test
    void unsupportedSyntaxIsNamed() throws IOException {
        assertThat(failure("comment.csv", "# generated\nx,y\n1,2\n").getMessage()).contains("line 1").contains("comment lines are not supported");
        assertThat(failure("comment2.csv", "x,y\n1,2\n# note\n3,4\n").getMessage()).contains("line 3, column 1 (\"x\")")
                .contains("comment lines are not supported");
        assertThat(failure("gap.csv", "x,y\n1,2\n\n3,4\n").getMessage()).contains("gap.csv, line 3").contains("blank line between data rows");
        assertThat(failure("afterquote.csv", "x,y\n1,2\n\"3\"4,5\n").getMessage()).contains("line 3, column 1 (\"x\")")
                .contains("after a closing quote");
    }
}
