package dev.switchboard.core.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins {@link TomlReader} to TOML 1.0 (https://toml.io/en/v1.0.0): every value form, keys, tables, arrays of
 * tables, comments, line ends, the line of every key and header, and invalid documents failing with the line
 * that holds the mistake.
 */
class TomlReaderTest {

    // ---------------------------------------------------------------- values: "v = <toml>" -> expected

    static Stream<Arguments> values() {
        return Stream.of(
                // integers: Integer when they fit an int, else Long; beyond 64 bits the text as written
                v("42", 42),
                v("+17", 17),
                v("-17", -17),
                v("0", 0),
                v("+0", 0),
                v("-0", 0),
                v("1_000", 1000),
                v("5_349_221", 5349221),
                v("53_49_221", 5349221),
                v("1_2_3_4_5", 12345),
                v("2147483647", Integer.MAX_VALUE),
                v("-2147483648", Integer.MIN_VALUE),
                v("2147483648", 2147483648L),
                v("-2147483649", -2147483649L),
                v("9223372036854775807", Long.MAX_VALUE),
                v("-9223372036854775808", Long.MIN_VALUE),
                v("9223372036854775808", "9223372036854775808"),
                v("-9223372036854775809", "-9223372036854775809"),
                v("123456789012345678901234567890", "123456789012345678901234567890"),
                v("0xDEADBEEF", 3735928559L),
                v("0xdeadbeef", 3735928559L),
                v("0xdead_beef", 3735928559L),
                v("0x7FFF_FFFF", Integer.MAX_VALUE),
                v("0x000001", 1),
                v("0x7FFFFFFFFFFFFFFF", Long.MAX_VALUE),
                v("0o01234567", 342391),
                v("0o755", 493),
                v("0o7_5_5", 493),
                v("0b11010110", 214),
                v("0b1101_0110", 214),
                v("0b0", 0),
                // floats
                v("+1.0", 1.0),
                v("3.1415", 3.1415),
                v("-0.01", -0.01),
                v("5e+22", Double.parseDouble("5e22")),
                v("1e06", 1e6),
                v("-2E-2", -0.02),
                v("1.5E3", 1500.0),
                v("6.626e-34", 6.626e-34),
                v("224_617.445_991_228", 224617.445991228),
                v("1e1_0", 1e10),
                v("0.0", 0.0),
                v("+0.0", 0.0),
                v("-0.0", -0.0),
                v("0e0", 0.0),
                v("inf", Double.POSITIVE_INFINITY),
                v("+inf", Double.POSITIVE_INFINITY),
                v("-inf", Double.NEGATIVE_INFINITY),
                v("nan", Double.NaN),
                v("+nan", Double.NaN),
                v("-nan", Double.NaN),
                // booleans
                v("true", true),
                v("false", false),
                // date-times, dates and times: the text as written
                v("1979-05-27T07:32:00Z", "1979-05-27T07:32:00Z"),
                v("1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00-07:00"),
                v("1979-05-27T00:32:00.999999-07:00", "1979-05-27T00:32:00.999999-07:00"),
                v("1979-05-27T07:32:00+05:30", "1979-05-27T07:32:00+05:30"),
                v("1979-05-27 07:32:00Z", "1979-05-27 07:32:00Z"),
                v("1987-07-05t17:45:00z", "1987-07-05t17:45:00z"),
                v("1979-05-27T07:32:00", "1979-05-27T07:32:00"),
                v("1979-05-27 07:32:00", "1979-05-27 07:32:00"),
                v("1979-05-27T00:32:00.999999", "1979-05-27T00:32:00.999999"),
                v("1979-05-27", "1979-05-27"),
                v("2000-02-29", "2000-02-29"),
                v("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
                v("1979-05-27 07:32:00Z # a comment", "1979-05-27 07:32:00Z"),
                v("1979-05-27 # a comment, not a time", "1979-05-27"),
                v("1979-05-27 ", "1979-05-27"),
                v("07:32:00", "07:32:00"),
                v("00:32:00.999999", "00:32:00.999999"),
                // basic strings
                v("\"I'm a string.\"", "I'm a string."),
                v("\"\"", ""),
                v("\"\\b\\t\\n\\f\\r\\\"\\\\\"", "\b\t\n\f\r\"\\"),
                v("\"You can \\\"quote\\\" me.\"", "You can \"quote\" me."),
                v("\"\\u00E9 \\u00e9 \\u0041\"", "é é A"),
                v("\"\\U0001F600\"", "😀"),
                v("\"\\u0000\"", "\u0000"),
                v("\"a\tb\"", "a\tb"),
                v("\"# not a comment\"", "# not a comment"),
                v("\"Jürgen ✓ 日本語 😀\"", "Jürgen ✓ 日本語 😀"),
                // literal strings
                v("'C:\\Users\\nodejs\\templates'", "C:\\Users\\nodejs\\templates"),
                v("'\\\\ServerX\\admin$\\system32\\'", "\\\\ServerX\\admin$\\system32\\"),
                v("'Tom \"Dubs\" Preston-Werner'", "Tom \"Dubs\" Preston-Werner"),
                v("'<\\i\\c*\\s*>'", "<\\i\\c*\\s*>"),
                v("''", ""),
                v("'a\tb'", "a\tb"),
                v("'Ŝŭśŝ ß'", "Ŝŭśŝ ß"),
                // multi-line basic strings
                v("\"\"\"Roses\"\"\"", "Roses"),
                v("\"\"\"\"\"\"", ""),
                v("\"\"\"\nRoses are red\nViolets are blue\"\"\"", "Roses are red\nViolets are blue"),
                v("\"\"\"\n\nonly the first newline is trimmed\"\"\"", "\nonly the first newline is trimmed"),
                v(
                        "\"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"",
                        "The quick brown fox jumps over the lazy dog."),
                v(
                        "\"\"\"\\\n       The quick brown \\\n       fox jumps over \\\n       the lazy dog.\\\n"
                                + "       \"\"\"",
                        "The quick brown fox jumps over the lazy dog."),
                v("\"\"\"a \\  \t\n   b\"\"\"", "a b"),
                v("\"\"\"a\\\\\nb\"\"\"", "a\\\nb"),
                v("\"\"\"tab\\there \\u00E9 \\U0001F600\"\"\"", "tab\there é 😀"),
                v(
                        "\"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"",
                        "Here are two quotation marks: \"\". Simple enough."),
                v("\"\"\"Here are three quotation marks: \"\"\\\".\"\"\"", "Here are three quotation marks: \"\"\"."),
                v(
                        "\"\"\"Here are fifteen quotation marks: \"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\"\"\"\\\".\"\"\"",
                        "Here are fifteen quotation marks: " + "\"".repeat(15) + "."),
                v(
                        "\"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"",
                        "\"This,\" she said, \"is just a pointless statement.\""),
                v("\"\"\"a\"\"\"\"", "a\""),
                v("\"\"\"a\"\"\"\"\"", "a\"\""),
                v("\"\"\"a\"b\"\"c\"\"\"", "a\"b\"\"c"),
                v("\"\"\"# not a comment\"\"\"", "# not a comment"),
                // multi-line literal strings
                v("''''''", ""),
                v("'''I [dw]on't need \\d{2} apples'''", "I [dw]on't need \\d{2} apples"),
                v(
                        "'''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n"
                                + "   is preserved.\n'''",
                        "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n"),
                v("'''a\\\nb'''", "a\\\nb"),
                v("'''no \\u00E9 escapes'''", "no \\u00E9 escapes"),
                v(
                        "'''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''",
                        "Here are fifteen quotation marks: " + "\"".repeat(15)),
                v("''''That,' she said, 'is still pointless.''''", "'That,' she said, 'is still pointless.'"),
                v("'''a''''", "a'"),
                v("'''a'''''", "a''"),
                // arrays
                v("[ 1, 2, 3 ]", List.of(1, 2, 3)),
                v("[]", List.of()),
                v("[ ]", List.of()),
                v("[1,2,]", List.of(1, 2)),
                v("[ \"red\", \"yellow\", \"green\" ]", List.of("red", "yellow", "green")),
                v("[ [ 1, 2 ], [3, 4, 5] ]", List.of(List.of(1, 2), List.of(3, 4, 5))),
                v("[ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]", List.of(List.of(1, 2), List.of("a", "b", "c"))),
                v("[[],[[]]]", List.of(List.of(), List.of(List.of()))),
                v(
                        "[ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]",
                        List.of("all", "strings", "are the same", "type")),
                v("[ 0.1, 0.2, 0.5, 1, 2, 5 ]", List.of(0.1, 0.2, 0.5, 1, 2, 5)),
                v(
                        "[1, \"a\", true, 1979-05-27, 1979-05-27 07:32:00Z, [2], {x = 3}]",
                        List.of(1, "a", true, "1979-05-27", "1979-05-27 07:32:00Z", List.of(2), Map.of("x", 3))),
                v(
                        "[\"Foo Bar <foo@example.com>\", { name = \"Baz Qux\", email = \"bazqux@example.com\" }]",
                        List.of("Foo Bar <foo@example.com>", Map.of("name", "Baz Qux", "email", "bazqux@example.com"))),
                v("[\n  1,\n  2, # this is ok\n]", List.of(1, 2)),
                v("[ # after the bracket\n  1 # after a value\n  , 2\n  # on its own line\n  ,\n]", List.of(1, 2)),
                v("[\n\n]", List.of()),
                v("[ {a = 1}, {a = 2} ]", List.of(Map.of("a", 1), Map.of("a", 2))),
                v("[\"\"\"\nmulti\nline\"\"\", '''\nx''']", List.of("multi\nline", "x")),
                // inline tables
                v("{ first = \"Tom\", last = \"Preston-Werner\" }", Map.of("first", "Tom", "last", "Preston-Werner")),
                v("{x=1,y=2}", Map.of("x", 1, "y", 2)),
                v("{}", Map.of()),
                v("{ }", Map.of()),
                v("{ type.name = \"pug\" }", Map.of("type", Map.of("name", "pug"))),
                v("{ a.b = 1, a.c = 2 }", Map.of("a", Map.of("b", 1, "c", 2))),
                v("{ a = { b = { c = 1 } } }", Map.of("a", Map.of("b", Map.of("c", 1)))),
                v(
                        "{ \"quoted key\" = 1, 'literal' = 2, site.\"google.com\" = true }",
                        Map.of("quoted key", 1, "literal", 2, "site", Map.of("google.com", true))),
                v("{ arr = [\n  1,\n  2\n] }", Map.of("arr", List.of(1, 2))),
                v("{ s = \"\"\"two\nlines\"\"\" }", Map.of("s", "two\nlines")));
    }

    private static Arguments v(String toml, Object expected) {
        return arguments(toml, expected);
    }

    @ParameterizedTest(name = "v = {0}")
    @MethodSource("values")
    void valueForms(String toml, Object expected) {
        assertThat(read("v = " + toml)).as("v = %s", toml).containsOnlyKeys("v");
        assertThat(read("v = " + toml).get("v")).as("v = %s", toml).isEqualTo(expected);
    }

    @Test
    void integersAreIntegerOrLongAndFloatsDouble() {
        Map<String, Object> root = read(doc("small = 7", "big = 3000000000", "f = 7.0", "huge = 99999999999999999999"));

        assertThat(root.get("small")).isInstanceOf(Integer.class);
        assertThat(root.get("big")).isInstanceOf(Long.class);
        assertThat(root.get("f")).isInstanceOf(Double.class);
        assertThat(root.get("huge")).isEqualTo("99999999999999999999");
    }

    // ---------------------------------------------------------------- documents

    @Test
    void emptyAndCommentOnlyDocuments() {
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n   \n\t\n")).isEmpty();
        assertThat(read(doc("# only", "  # comments", "# and no newline at the end")))
                .isEmpty();
    }

    @Test
    void tablesAreLinkedHashMapsInFileOrder() {
        TomlReader.Document document = TomlReader.read(doc(
                "zeta = 1",
                "alpha = 2",
                "mid.b = 3",
                "mid.a = 4",
                "inline = { z = 1, y = 2, x = 3 }",
                "[table]",
                "c = 1",
                "b = 2",
                "a = 3"));

        assertThat(document.root()).isInstanceOf(LinkedHashMap.class);
        assertThat(document.root().keySet()).containsExactly("zeta", "alpha", "mid", "inline", "table");
        assertThat(at(document.root(), "mid")).isInstanceOf(LinkedHashMap.class);
        assertThat(keys(at(document.root(), "mid"))).containsExactly("b", "a");
        assertThat(at(document.root(), "inline")).isInstanceOf(LinkedHashMap.class);
        assertThat(keys(at(document.root(), "inline"))).containsExactly("z", "y", "x");
        assertThat(at(document.root(), "table")).isInstanceOf(LinkedHashMap.class);
        assertThat(keys(at(document.root(), "table"))).containsExactly("c", "b", "a");
    }

    @Test
    void commentsWhereverTheyAreAllowed() {
        Map<String, Object> root = read(doc(
                "# a full-line comment",
                "   # an indented comment",
                "\t# after a tab",
                "key = \"value\"  # at the end of a line",
                "hash = \"# not a comment\" # but this is",
                "lit = '# not a comment either'",
                "tight = 1#no space before the hash",
                "tight_string = \"x\"#none here either",
                "list = [ # after the bracket",
                "  1, # after an element",
                "  # on its own line inside the array",
                "  2",
                "] # after the closing bracket",
                "inline = { a = 1 } # after an inline table",
                "# \"quotes\" 'apostrophes' [brackets] [[double]] = signs { braces } ü 日本 😀 and a\ttab",
                "[table] # after a header",
                "x = 1",
                "[[tables]] # after an array-of-tables header",
                "y = 2",
                "# the last line is a comment without a newline"));

        assertThat(root)
                .containsEntry("key", "value")
                .containsEntry("hash", "# not a comment")
                .containsEntry("lit", "# not a comment either")
                .containsEntry("tight", 1)
                .containsEntry("tight_string", "x")
                .containsEntry("list", List.of(1, 2))
                .containsEntry("inline", Map.of("a", 1))
                .containsEntry("table", Map.of("x", 1))
                .containsEntry("tables", List.of(Map.of("y", 2)));
        assertThat(root).hasSize(9);
    }

    @Test
    void whitespaceAroundKeysAndValuesIsIgnored() {
        Map<String, Object> root =
                read(doc("\tindented\t=\t1", "    spaced   =   2   ", "tight=3", "  [  t  ]  ", "  k = 4"));

        assertThat(root)
                .containsEntry("indented", 1)
                .containsEntry("spaced", 2)
                .containsEntry("tight", 3)
                .containsEntry("t", Map.of("k", 4));
    }

    @Test
    void bareKeys() {
        Map<String, Object> root = read(
                doc("key = 1", "bare_key = 2", "bare-key = 3", "1234 = 4", "ABC = 5", "- = 6", "_ = 7", "true = 8"));

        assertThat(root.keySet()).containsExactly("key", "bare_key", "bare-key", "1234", "ABC", "-", "_", "true");
        assertThat(root).containsEntry("1234", 4).containsEntry("true", 8);
    }

    @Test
    void quotedKeys() {
        Map<String, Object> root = read(doc(
                "\"127.0.0.1\" = \"value\"",
                "\"character encoding\" = \"value\"",
                "\"ʎǝʞ\" = \"value\"",
                "'key2' = \"value\"",
                "'quoted \"value\"' = \"value\"",
                "\"\" = \"blank\"",
                "\"\\u00E9t\\u00E9\" = \"escaped\"",
                "'C:\\path' = \"literal\""));

        assertThat(root.keySet())
                .containsExactly(
                        "127.0.0.1", "character encoding", "ʎǝʞ", "key2", "quoted \"value\"", "", "été", "C:\\path");
        assertThat(root).containsEntry("", "blank").containsEntry("été", "escaped");
    }

    @Test
    void quotedKeysWithEscapesAndEmptyTableNames() {
        Map<String, Object> root = read(doc(
                "\"\\n\" = \"newline\"",
                "\"\\\"\" = \"just a quote\"",
                "\"\\u00c0\" = \"latin\"",
                "\"a\\tb\" = \"tab\"",
                "1.2 = 3",
                "[\"\"]",
                "x = 1",
                "[a.\"\".b]",
                "y = 2"));

        assertThat(root.keySet()).containsExactly("\n", "\"", "À", "a\tb", "1", "", "a");
        assertThat(root)
                .containsEntry("1", Map.of("2", 3))
                .containsEntry("", Map.of("x", 1))
                .containsEntry("a", Map.of("", Map.of("b", Map.of("y", 2))));
    }

    @Test
    void dottedKeys() {
        Map<String, Object> root = read(doc(
                "name = \"Orange\"",
                "physical.color = \"orange\"",
                "physical.shape = \"round\"",
                "site.\"google.com\" = true",
                "fruit . flavor = \"banana\"",
                "fruit\t.\t'sweet' = true",
                "3.14159 = \"pi\"",
                "\"a.b\" = \"not dotted\"",
                "apple.type = \"fruit\"",
                "orange.type = \"fruit\"",
                "apple.skin = \"thin\"",
                "deep.er.est = 1",
                "deep.er.other = 2"));

        assertThat(root)
                .containsEntry("name", "Orange")
                .containsEntry("physical", Map.of("color", "orange", "shape", "round"))
                .containsEntry("site", Map.of("google.com", true))
                .containsEntry("fruit", Map.of("flavor", "banana", "sweet", true))
                .containsEntry("3", Map.of("14159", "pi"))
                .containsEntry("a.b", "not dotted")
                .containsEntry("apple", Map.of("type", "fruit", "skin", "thin"))
                .containsEntry("orange", Map.of("type", "fruit"))
                .containsEntry("deep", Map.of("er", Map.of("est", 1, "other", 2)));
    }

    @Test
    void tablesAndSubTables() {
        Map<String, Object> root = read(doc(
                "top = 0",
                "[table-1]",
                "key1 = \"some string\"",
                "key2 = 123",
                "",
                "[table-2]",
                "key1 = \"another string\"",
                "key2 = 456",
                "",
                "[dog.\"tater.man\"]",
                "type.name = \"pug\"",
                "",
                "[a.b.c]",
                "[ d.e.f ]",
                "[ g .  h  . i ]",
                "[ j . \"ʞ\" . 'l' ]",
                "[empty]"));

        assertThat(root)
                .containsEntry("top", 0)
                .containsEntry("table-1", Map.of("key1", "some string", "key2", 123))
                .containsEntry("table-2", Map.of("key1", "another string", "key2", 456))
                .containsEntry("dog", Map.of("tater.man", Map.of("type", Map.of("name", "pug"))))
                .containsEntry("a", Map.of("b", Map.of("c", Map.of())))
                .containsEntry("d", Map.of("e", Map.of("f", Map.of())))
                .containsEntry("g", Map.of("h", Map.of("i", Map.of())))
                .containsEntry("j", Map.of("ʞ", Map.of("l", Map.of())))
                .containsEntry("empty", Map.of());
    }

    @Test
    void superTableDefinedAfterItsSubTable() {
        Map<String, Object> root = read(doc("[x.y.z.w]", "a = 1", "", "[x]", "b = 2"));

        assertThat(root).containsOnlyKeys("x");
        assertThat(at(root, "x")).isEqualTo(Map.of("y", Map.of("z", Map.of("w", Map.of("a", 1))), "b", 2));
    }

    @Test
    void superTableDefinedAfterAnArrayOfTablesUnderIt() {
        Map<String, Object> root = read(doc("[[a.b]]", "x = 1", "", "[a]", "y = 2"));

        assertThat(root).isEqualTo(Map.of("a", Map.of("b", List.of(Map.of("x", 1)), "y", 2)));
    }

    @Test
    void subTablesUnderATableMadeByDottedKeys() {
        Map<String, Object> root = read(doc(
                "[fruit]",
                "apple.color = \"red\"",
                "apple.taste.sweet = true",
                "",
                "[fruit.apple.texture]",
                "smooth = true"));

        assertThat(root)
                .isEqualTo(Map.of(
                        "fruit",
                        Map.of(
                                "apple",
                                Map.of(
                                        "color", "red",
                                        "taste", Map.of("sweet", true),
                                        "texture", Map.of("smooth", true)))));
    }

    @Test
    void arraysOfTables() {
        Map<String, Object> root = read(doc(
                "[[products]]",
                "name = \"Hammer\"",
                "sku = 738594937",
                "",
                "[[products]]  # empty table within the array",
                "",
                "[[products]]",
                "name = \"Nail\"",
                "sku = 284758393",
                "",
                "color = \"gray\""));

        assertThat(root)
                .isEqualTo(Map.of(
                        "products",
                        List.of(
                                Map.of("name", "Hammer", "sku", 738594937),
                                Map.of(),
                                Map.of("name", "Nail", "sku", 284758393, "color", "gray"))));
        assertThat(at(root, "products")).isInstanceOf(List.class);
        assertThat(at(root, "products", 0)).isInstanceOf(LinkedHashMap.class);
    }

    @Test
    void arraysOfTablesWithSubTablesAndNestedArrays() {
        Map<String, Object> root = read(doc(
                "[[fruits]]",
                "name = \"apple\"",
                "",
                "[fruits.physical]  # subtable",
                "color = \"red\"",
                "shape = \"round\"",
                "",
                "[[fruits.varieties]]  # nested array of tables",
                "name = \"red delicious\"",
                "",
                "[[fruits.varieties]]",
                "name = \"granny smith\"",
                "",
                "",
                "[[fruits]]",
                "name = \"banana\"",
                "",
                "[[fruits.varieties]]",
                "name = \"plantain\""));

        assertThat(root)
                .isEqualTo(Map.of(
                        "fruits",
                        List.of(
                                Map.of(
                                        "name", "apple",
                                        "physical", Map.of("color", "red", "shape", "round"),
                                        "varieties",
                                                List.of(
                                                        Map.of("name", "red delicious"),
                                                        Map.of("name", "granny smith"))),
                                Map.of("name", "banana", "varieties", List.of(Map.of("name", "plantain"))))));
    }

    @Test
    void arrayOfTablesUnderATableAndInlineTablesInArrays() {
        Map<String, Object> root = read(doc(
                "points = [ { x = 1, y = 2, z = 3 },",
                "           { x = 7, y = 8, z = 9 },",
                "           { x = 2, y = 4, z = 8 } ]",
                "[server]",
                "name = \"s\"",
                "[[server.peer]]",
                "host = \"a\"",
                "[[server.peer]]",
                "host = \"b\""));

        assertThat(at(root, "points"))
                .isEqualTo(List.of(
                        Map.of("x", 1, "y", 2, "z", 3),
                        Map.of("x", 7, "y", 8, "z", 9),
                        Map.of("x", 2, "y", 4, "z", 8)));
        assertThat(at(root, "server"))
                .isEqualTo(Map.of("name", "s", "peer", List.of(Map.of("host", "a"), Map.of("host", "b"))));
    }

    @Test
    void crlfLineEnds() {
        Map<String, Object> root = read(String.join(
                "\r\n",
                "# comment",
                "a = 1 # comment",
                "s = \"\"\"",
                "first newline trimmed\"\"\"",
                "t = \"\"\"joined \\",
                "   here\"\"\"",
                "lit = '''",
                "x'''",
                "arr = [",
                "  1,",
                "  2,",
                "]",
                "[table]",
                "b = \"two\"",
                "[[list]]",
                "c = 3",
                ""));

        assertThat(root)
                .containsEntry("a", 1)
                .containsEntry("s", "first newline trimmed")
                .containsEntry("t", "joined here")
                .containsEntry("lit", "x")
                .containsEntry("arr", List.of(1, 2))
                .containsEntry("table", Map.of("b", "two"))
                .containsEntry("list", List.of(Map.of("c", 3)));
        assertThat(root).hasSize(7);
    }

    @Test
    void nonAsciiUtf8Document() {
        Map<String, Object> root = read(doc(
                "# Grüße aus Köln — 日本語のコメント 😀",
                "name = \"Jürgen Åström\"",
                "\"clé\" = 'valeur été'",
                "emoji = \"😀 ✓\"",
                "[\"tâble\"]",
                "text = \"\"\"",
                "Ωmega",
                "日本\"\"\"",
                "raw = '''ß\\n'''"));

        assertThat(root)
                .containsEntry("name", "Jürgen Åström")
                .containsEntry("clé", "valeur été")
                .containsEntry("emoji", "😀 ✓")
                .containsEntry("tâble", Map.of("text", "Ωmega\n日本", "raw", "ß\\n"));
    }

    // ---------------------------------------------------------------- lines

    @Test
    void linesOfKeysAndHeaders() {
        TomlReader.Lines lines = TomlReader.read(doc(
                        /* 1 */ "# a comment",
                        /* 2 */ "title = \"x\"",
                        /* 3 */ "text = \"\"\"",
                        /* 4 */ "[not.a.table]",
                        /* 5 */ "fake = 1",
                        /* 6 */ "\"\"\"",
                        /* 7 */ "after = 1",
                        /* 8 */ "arr = [",
                        /* 9 */ "  1,",
                        /* 10 */ "  2,",
                        /* 11 */ "]",
                        /* 12 */ "lit = '''",
                        /* 13 */ "x = 2'''",
                        /* 14 */ "a.b.c = 1",
                        /* 15 */ "joined = \"\"\"one \\",
                        /* 16 */ "  two\"\"\"",
                        /* 17 */ "[server]",
                        /* 18 */ "host = \"h\"",
                        /* 19 */ "inline = { a = 1, b = { c = 2 }, d.e = 3 }",
                        /* 20 */ "",
                        /* 21 */ "[[peers]]",
                        /* 22 */ "name = \"a\"",
                        /* 23 */ "",
                        /* 24 */ "[[peers]]",
                        /* 25 */ "name = \"b\"",
                        /* 26 */ "port = 3",
                        /* 27 */ "[peers.tls]",
                        /* 28 */ "on = true",
                        /* 29 */ "[ \"quoted.key\" ]",
                        /* 30 */ "k = 1"))
                .lines();

        assertThat(lines.line(List.of("title"))).isEqualTo(2);
        assertThat(lines.line(List.of("text"))).isEqualTo(3);
        assertThat(lines.line(List.of("after"))).isEqualTo(7);
        assertThat(lines.line(List.of("arr"))).isEqualTo(8);
        assertThat(lines.line(List.of("lit"))).isEqualTo(12);
        assertThat(lines.line(List.of("a", "b", "c"))).isEqualTo(14);
        assertThat(lines.line(List.of("a"))).isEqualTo(14);
        assertThat(lines.line(List.of("joined"))).isEqualTo(15);
        assertThat(lines.line(List.of("server"))).isEqualTo(17);
        assertThat(lines.line(List.of("server", "host"))).isEqualTo(18);
        assertThat(lines.line(List.of("server", "inline"))).isEqualTo(19);
        assertThat(lines.line(List.of("peers"))).isEqualTo(21);
        assertThat(lines.line(List.of("peers", "name"))).isEqualTo(22);
        assertThat(lines.line(List.of("peers", "port"))).isEqualTo(26);
        assertThat(lines.line(List.of("peers", "tls"))).isEqualTo(27);
        assertThat(lines.line(List.of("peers", "tls", "on"))).isEqualTo(28);
        assertThat(lines.line(List.of("quoted.key"))).isEqualTo(29);
        assertThat(lines.line(List.of("quoted.key", "k"))).isEqualTo(30);
    }

    @Test
    void keysInsideInlineTablesFallBackToTheKeyHoldingTheTable() {
        TomlReader.Lines lines = TomlReader.read(doc(
                        "x = 1",
                        "[server]",
                        "inline = { a = 1, b = { c = 2 }, d.e = 3 }",
                        "arr = [",
                        "  { f = 1 },",
                        "]"))
                .lines();

        assertThat(lines.line(List.of("server", "inline", "a"))).isEqualTo(3);
        assertThat(lines.line(List.of("server", "inline", "b", "c"))).isEqualTo(3);
        assertThat(lines.line(List.of("server", "inline", "d", "e"))).isEqualTo(3);
        assertThat(lines.line(List.of("server", "arr", "f"))).isEqualTo(4);
    }

    @Test
    void pathsNotInTheDocumentFallBackToTheirNearestParentOrZero() {
        TomlReader.Lines lines = TomlReader.read(doc(
                        "title = \"x\"",
                        "text = \"\"\"",
                        "[not.a.table]",
                        "fake = 1",
                        "\"\"\"",
                        "lit = '''",
                        "x = 2'''",
                        "[server]",
                        "host = \"h\""))
                .lines();

        assertThat(lines.line(List.of("server", "missing"))).isEqualTo(8);
        assertThat(lines.line(List.of("server", "host", "deeper"))).isEqualTo(9);
        assertThat(lines.line(List.of("missing"))).isZero();
        assertThat(lines.line(List.of("not"))).isZero();
        assertThat(lines.line(List.of("not", "a", "table"))).isZero();
        assertThat(lines.line(List.of("fake"))).isZero();
        assertThat(lines.line(List.of("x"))).isZero();
    }

    @Test
    void linesWithCrlfLineEnds() {
        TomlReader.Lines lines = TomlReader.read(String.join(
                        "\r\n", "a = 1", "s = \"\"\"", "two", "\"\"\"", "[t]", "b = [", "  1,", "]", "c = 2"))
                .lines();

        assertThat(lines.line(List.of("a"))).isEqualTo(1);
        assertThat(lines.line(List.of("s"))).isEqualTo(2);
        assertThat(lines.line(List.of("t"))).isEqualTo(5);
        assertThat(lines.line(List.of("t", "b"))).isEqualTo(6);
        assertThat(lines.line(List.of("t", "c"))).isEqualTo(9);
    }

    // ---------------------------------------------------------------- invalid documents -> (name, doc, line)

    static Stream<Arguments> invalid() {
        return Stream.of(
                // keys and tables defined twice
                bad("duplicate key", doc("ok = 1", "name = \"Tom\"", "name = \"Pradyun\""), 3),
                bad(
                        "duplicate key, bare then quoted",
                        doc("spelling = \"favorite\"", "\"spelling\" = \"favourite\""),
                        2),
                bad("duplicate key in a table", doc("[a]", "x = 1", "", "x = 2"), 4),
                bad("duplicate key in an inline table", doc("ok = 1", "a = { x = 1, x = 2 }"), 2),
                bad("duplicate dotted key", doc("a.b = 1", "a.b = 2"), 2),
                bad("table defined twice", doc("[fruit]", "apple = \"red\"", "", "[fruit]", "orange = \"orange\""), 4),
                bad("super-table defined twice after its sub-table", doc("[a.b]", "[a]", "[a]"), 3),
                bad("key redefined as a table", doc("[fruit]", "apple = \"red\"", "", "[fruit.apple]", "x = 1"), 4),
                bad("root key redefined as a table", doc("a = 1", "[a]"), 2),
                bad("table redefined as a key", doc("[a.b]", "c = 1", "[a]", "b = 2"), 4),
                bad(
                        "table made by dotted keys redefined by a header",
                        doc("[fruit]", "apple.color = \"red\"", "apple.taste.sweet = true", "[fruit.apple]"),
                        4),
                bad("header table extended by dotted keys", doc("[a.b.c]", "z = 9", "", "[a]", "b.c.t = 9"), 5),
                bad("dotted key over an integer", doc("fruit.apple = 1", "fruit.apple.smooth = true"), 2),
                bad("dotted key over a string", doc("a = \"x\"", "a.b = 1"), 2),
                bad("dotted key over an array", doc("a = [1]", "a.b = 1"), 2),
                // inline tables and static arrays are closed
                bad(
                        "inline table extended by a dotted key",
                        doc("[product]", "type = { name = \"Nail\" }", "type.edible = false"),
                        3),
                bad(
                        "inline table over a table made by dotted keys",
                        doc("[product]", "type.name = \"Nail\"", "type = { edible = false }"),
                        3),
                bad("inline table extended by a sub-table header", doc("a = { x = 1 }", "[a.b]"), 2),
                bad("inline table redefined by a header", doc("a = { x = 1 }", "[a]"), 2),
                bad(
                        "inline table key clashing with a dotted key inside it",
                        doc("ok = 1", "a = { b.c = 1, b = 2 }"),
                        2),
                bad("static array extended by an array of tables", doc("fruits = []", "", "[[fruits]]"), 3),
                bad("static array of inline tables extended by a header", doc("a = [{ b = 1 }]", "[a.c]"), 2),
                bad(
                        "array of tables after a table of that name",
                        doc("[fruit.physical]", "color = \"red\"", "", "[[fruit]]", "name = \"apple\""),
                        4),
                bad(
                        "table after an array of tables of that name",
                        doc(
                                "[[fruits]]",
                                "name = \"apple\"",
                                "[[fruits.varieties]]",
                                "name = \"red delicious\"",
                                "[fruits.varieties]",
                                "name = \"granny smith\""),
                        5),
                bad(
                        "array of tables after a sub-table of that name",
                        doc("[[fruits]]", "[fruits.physical]", "color = \"red\"", "[[fruits.physical]]"),
                        4),
                bad("table after an array of tables at the root", doc("[[a]]", "[a]"), 2),
                bad("inline table over a table made by dotted keys at the root", doc("a.b = 0", "a = {}"), 2),
                bad(
                        "dotted key into an inline table inside an inline table",
                        doc(
                                "ok = 1",
                                "t = { fruit = { apple.color = \"red\" }, fruit.apple.texture = { smooth = true } }"),
                        2),
                bad(
                        "array of tables over a table made by dotted keys",
                        doc("[fruit]", "apple.color = \"red\"", "", "[[fruit.apple]]"),
                        4),
                bad("header over a table made by a deeper dotted key", doc("[t1]", "t2.t3.v = 0", "[t1.t2.t3]"), 3),
                bad("dotted key into an array of tables", doc("[[a.b]]", "", "[a]", "b.y = 2"), 4),
                bad(
                        "array of tables after its name was used as a table",
                        doc(
                                "[[albums.songs]]",
                                "name = \"Glory Days\"",
                                "",
                                "[[albums]]",
                                "name = \"Born in the USA\""),
                        4),
                // escapes
                bad("unknown escape \\q", doc("ok = 1", "s = \"a\\qb\""), 2),
                bad("escape \\x (TOML 1.1 only)", doc("ok = 1", "s = \"\\x41\""), 2),
                bad("escape \\e (TOML 1.1 only)", doc("ok = 1", "s = \"\\e\""), 2),
                bad("escape of a space", doc("ok = 1", "s = \"a\\ b\""), 2),
                bad("\\u with three hex digits", doc("ok = 1", "s = \"\\u00E\""), 2),
                bad("\\u with a non-hex digit", doc("ok = 1", "s = \"\\u00G1\""), 2),
                bad("\\U with seven hex digits", doc("ok = 1", "s = \"\\U0001F60\""), 2),
                bad("\\u of a surrogate", doc("ok = 1", "s = \"\\uD800\""), 2),
                bad("\\U beyond U+10FFFF", doc("ok = 1", "s = \"\\U00110000\""), 2),
                bad("unknown escape in a multi-line basic string", doc("ok = 1", "s = \"\"\"", "a\\qb\"\"\""), 3),
                bad("unknown escape in a quoted key", doc("ok = 1", "\"a\\qb\" = 1"), 2),
                bad("escape of a space in a multi-line basic string", doc("ok = 1", "s = \"\"\"a \\ b\"\"\""), 2),
                // unterminated strings, newlines and control characters in strings
                bad("unterminated basic string", doc("ok = 1", "s = \"abc"), 2),
                bad("unterminated literal string", doc("ok = 1", "s = 'abc"), 2),
                bad("unterminated multi-line basic string", doc("ok = 1", "s = \"\"\"abc"), 2),
                bad("unterminated multi-line literal string", doc("ok = 1", "s = '''abc"), 2),
                bad("unterminated quoted key", doc("ok = 1", "\"key = 1"), 2),
                bad("newline in a basic string", doc("ok = 1", "s = \"abc", "def\""), 2),
                bad("newline in a literal string", doc("ok = 1", "s = 'abc", "def'"), 2),
                bad("newline in a quoted key", doc("ok = 1", "\"a", "b\" = 1"), 2),
                bad("control character U+0001 in a basic string", doc("ok = 1", "s = \"a\u0001b\""), 2),
                bad("control character U+001F in a basic string", doc("ok = 1", "s = \"a\u001Fb\""), 2),
                bad("DEL in a basic string", doc("ok = 1", "s = \"a\u007Fb\""), 2),
                bad("NUL in a basic string", doc("ok = 1", "s = \"a\u0000b\""), 2),
                bad("control character in a literal string", doc("ok = 1", "s = 'a\u0001b'"), 2),
                bad("control character in a multi-line basic string", doc("ok = 1", "s = \"\"\"a\u0001b\"\"\""), 2),
                bad("control character in a multi-line literal string", doc("ok = 1", "s = '''a\u0001b'''"), 2),
                bad("control character in a comment", doc("ok = 1", "# a\u0001b"), 2),
                bad("lone carriage return", doc("ok = 1", "a = 1\rb = 2"), 2),
                bad("six quotes closing a multi-line basic string", doc("ok = 1", "s = \"\"\"a\"\"\"\"\"\""), 2),
                bad("six apostrophes closing a multi-line literal string", doc("ok = 1", "s = '''a''''''"), 2),
                // numbers
                bad("leading zero", doc("ok = 1", "n = 01"), 2),
                bad("leading zeros", doc("ok = 1", "n = 007"), 2),
                bad("leading zero after a minus", doc("ok = 1", "n = -01"), 2),
                bad("leading zero after a plus", doc("ok = 1", "n = +01"), 2),
                bad("double zero", doc("ok = 1", "n = 00"), 2),
                bad("leading zero in a float", doc("ok = 1", "n = 01.5"), 2),
                bad("double underscore", doc("ok = 1", "n = 1__2"), 2),
                bad("leading underscore", doc("ok = 1", "n = _1"), 2),
                bad("trailing underscore", doc("ok = 1", "n = 1_"), 2),
                bad("underscore after a sign", doc("ok = 1", "n = +_1"), 2),
                bad("trailing dot", doc("ok = 1", "n = 1."), 2),
                bad("leading dot", doc("ok = 1", "n = .5"), 2),
                bad("dot before an exponent", doc("ok = 1", "n = 1.e5"), 2),
                bad("exponent without digits", doc("ok = 1", "n = 1e"), 2),
                bad("underscore after the dot", doc("ok = 1", "n = 1._5"), 2),
                bad("underscore before the dot", doc("ok = 1", "n = 1_.5"), 2),
                bad("trailing underscore in a float", doc("ok = 1", "n = 1.5_"), 2),
                bad("underscore after the exponent mark", doc("ok = 1", "n = 1e_5"), 2),
                bad("hex without digits", doc("ok = 1", "n = 0x"), 2),
                bad("upper-case hex prefix", doc("ok = 1", "n = 0X1F"), 2),
                bad("sign before hex", doc("ok = 1", "n = +0x1F"), 2),
                bad("underscore after the hex prefix", doc("ok = 1", "n = 0x_1F"), 2),
                bad("binary digit 2", doc("ok = 1", "n = 0b102"), 2),
                bad("octal digit 8", doc("ok = 1", "n = 0o78"), 2),
                bad("Inf is case-sensitive", doc("ok = 1", "n = Inf"), 2),
                bad("NaN is case-sensitive", doc("ok = 1", "n = NaN"), 2),
                bad("infinity spelled out", doc("ok = 1", "n = infinity"), 2),
                bad("True is case-sensitive", doc("ok = 1", "b = True"), 2),
                bad("leading zero in a negative float", doc("ok = 1", "n = -03.14"), 2),
                bad("zero then an underscore", doc("ok = 1", "n = 0_1"), 2),
                bad("two points", doc("ok = 1", "n = 1.2.3"), 2),
                bad("point in the exponent", doc("ok = 1", "n = 1e2.3"), 2),
                bad("exponent sign without digits", doc("ok = 1", "n = 1e+"), 2),
                bad("double minus", doc("ok = 1", "n = --1"), 2),
                bad("plus then minus", doc("ok = 1", "n = +-1"), 2),
                bad("time without seconds (TOML 1.1 only)", doc("ok = 1", "t = 07:32"), 2),
                bad("date-time without seconds (TOML 1.1 only)", doc("ok = 1", "t = 1979-05-27T07:32Z"), 2),
                bad("month 13", doc("ok = 1", "d = 1979-13-27"), 2),
                bad("February 30", doc("ok = 1", "d = 1979-02-30"), 2),
                bad("February 29 of a common year", doc("ok = 1", "d = 2023-02-29"), 2),
                bad("month without its leading zero", doc("ok = 1", "d = 1987-7-05T17:45:00Z"), 2),
                bad("hour 24", doc("ok = 1", "t = 24:00:00"), 2),
                bad("second 61", doc("ok = 1", "t = 07:32:61"), 2),
                bad("offset hour 25", doc("ok = 1", "t = 1985-06-18 17:04:07+25:00"), 2),
                bad("date then a T and no time", doc("ok = 1", "t = 1987-07-05T"), 2),
                bad("fraction without digits", doc("ok = 1", "t = 07:32:00."), 2),
                bad("offset on a local time", doc("ok = 1", "t = 07:32:00Z"), 2),
                // keys, '=', values
                bad("bare key with a non-ASCII letter", doc("ok = 1", "ké = 1"), 2),
                bad("bare key with a dollar", doc("ok = 1", "a$b = 1"), 2),
                bad("bare key with a slash", doc("ok = 1", "a/b = 1"), 2),
                bad("empty bare key", doc("ok = 1", "= 1"), 2),
                bad("empty segment in a dotted key", doc("ok = 1", "a..b = 1"), 2),
                bad("trailing dot in a key", doc("ok = 1", "a. = 1"), 2),
                bad("multi-line basic string as a key", doc("ok = 1", "\"\"\"key\"\"\" = 1"), 2),
                bad("multi-line literal string as a key", doc("ok = 1", "'''key''' = 1"), 2),
                bad("two '=' signs", doc("ok = 1", "key= = 1"), 2),
                bad("missing '='", doc("ok = 1", "a 1"), 2),
                bad("key alone on its line", doc("ok = 1", "a", "b = 1"), 2),
                bad("'=' on the next line", doc("ok = 1", "a", "= 1"), 2),
                bad("missing value", doc("ok = 1", "a =", "b = 2"), 2),
                bad("missing value before a comment", doc("ok = 1", "a = # nothing", "b = 2"), 2),
                bad("missing value at the end", doc("ok = 1", "a ="), 2),
                bad("value that is no value", doc("ok = 1", "a = hello"), 2),
                bad("two key/values on one line", doc("ok = 1", "a = 1 b = 2"), 2),
                bad("two key/values on one line after a string", doc("ok = 1", "a = \"x\" b = 2"), 2),
                bad("two key/values separated by a comma", doc("ok = 1", "a = 1, b = 2"), 2),
                // inline tables and arrays
                bad("newline inside an inline table", doc("ok = 1", "a = { x = 1,", "y = 2 }"), 2),
                bad("newline before an inline table's closing brace", doc("ok = 1", "a = {", "}"), 2),
                bad("trailing comma in an inline table", doc("ok = 1", "a = { x = 1, }"), 2),
                bad("missing comma in an inline table", doc("ok = 1", "a = { x = 1 y = 2 }"), 2),
                bad("unterminated inline table", doc("ok = 1", "a = { x = 1"), 2),
                bad("missing comma in an array", doc("ok = 1", "a = [1 2]"), 2),
                bad("leading comma in an array", doc("ok = 1", "a = [,1]"), 2),
                bad("two commas in an array", doc("ok = 1", "a = [1,,2]"), 2),
                bad("unterminated array", doc("ok = 1", "a = [1,"), 2),
                bad("unterminated array ending in a comment", doc("ok = 1", "x = [42 #"), 2),
                bad("empty inline table with a comma", doc("ok = 1", "t = {,}"), 2),
                // headers
                bad("unterminated header", doc("ok = 1", "[a"), 2),
                bad("empty header", doc("ok = 1", "[]"), 2),
                bad("header with a trailing dot", doc("ok = 1", "[a.]"), 2),
                bad("key/value after a header on its line", doc("ok = 1", "[a] b = 1"), 2),
                bad("unterminated array-of-tables header", doc("ok = 1", "[[a]"), 2),
                bad("array-of-tables header with a space between the closing brackets", doc("ok = 1", "[[a] ]"), 2),
                bad("array-of-tables header with a space between the opening brackets", doc("ok = 1", "[ [a]]"), 2),
                bad("key/value after an array-of-tables header on its line", doc("ok = 1", "[[a]] b = 1"), 2),
                bad("space inside a bare table name", doc("ok = 1", "[invalid key]"), 2),
                bad("'#' inside a table name", doc("ok = 1", "[key#group]"), 2),
                bad("'=' inside a table name", doc("ok = 1", "[name=bad]"), 2),
                bad("unterminated quoted table name", doc("ok = 1", "[\"where will it end]"), 2),
                // the line of the mistake after multi-line values
                bad("duplicate key after a multi-line string", doc("s = \"\"\"", "one", "[two]", "\"\"\"", "s = 1"), 5),
                bad("duplicate key after a multi-line array", doc("a = [", "  1,", "  2,", "]", "a = 3"), 5),
                bad("bad value inside a multi-line array", doc("a = [", "  1,", "  01,", "]"), 3),
                bad("bad escape inside a multi-line string", doc("s = \"\"\"", "fine", "bad \\q", "\"\"\""), 3),
                bad("duplicate key with CRLF line ends", String.join("\r\n", "ok = 1", "", "ok = 2", ""), 3));
    }

    private static Arguments bad(String name, String toml, int line) {
        return arguments(name, toml, line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidDocumentsFailWithTheLineOfTheMistake(String name, String toml, int line) {
        TomlReader.SyntaxError error = syntaxError(toml);

        assertThat(error.line()).as("line of: %s", name).isEqualTo(line);
        assertThat(error.getMessage())
                .as("message of: %s", name)
                .isNotBlank()
                .doesNotContain("\n")
                .doesNotContain("\r")
                .doesNotContain("line " + line);
    }

    @Test
    void errorMessagesNameTheKeyOrTable() {
        assertThat(syntaxError(doc("name = \"Tom\"", "name = \"Pradyun\"")).getMessage())
                .contains("name");
        assertThat(syntaxError(doc("[fruit]", "[fruit]")).getMessage()).contains("fruit");
    }

    @Test
    void anIntegerBeyond64BitsIsItsTextNotAnError() {
        Map<String, Object> root = read(doc("big = 18446744073709551616", "neg = -18446744073709551616"));

        assertThat(root).containsEntry("big", "18446744073709551616").containsEntry("neg", "-18446744073709551616");
    }

    // ---------------------------------------------------------------- helpers

    private static String doc(String... lines) {
        return String.join("\n", lines);
    }

    private static Map<String, Object> read(String toml) {
        return TomlReader.read(toml).root();
    }

    private static TomlReader.SyntaxError syntaxError(String toml) {
        TomlReader.Document document;
        try {
            document = TomlReader.read(toml);
        } catch (TomlReader.SyntaxError e) {
            return e;
        }
        throw new AssertionError("expected a SyntaxError, but read " + document.root() + " from:\n" + toml);
    }

    private static List<Object> keys(Object table) {
        assertThat(table).isInstanceOf(Map.class);
        return new ArrayList<>(((Map<?, ?>) table).keySet());
    }

    /** Follows map keys (String) and list indices (Integer) from {@code node}, failing on a missing step. */
    private static Object at(Object node, Object... steps) {
        Object current = node;
        for (Object step : steps) {
            if (step instanceof Integer index) {
                assertThat(current).as("list at %s", step).isInstanceOf(List.class);
                List<?> list = (List<?>) current;
                assertThat(list).hasSizeGreaterThan(index);
                current = list.get(index);
            } else {
                assertThat(keys(current))
                        .as("keys of the table holding %s", step)
                        .contains(step);
                current = ((Map<?, ?>) current).get(step);
            }
        }
        return current;
    }
}
