package dev.switchboard.core.config.internal;

import org.jspecify.annotations.Nullable;

/**
 * The unquoted values of TOML 1.0: booleans, integers (decimal, {@code 0x}, {@code 0o}, {@code 0b},
 * with single underscores between digits), floats (with {@code inf} and {@code nan}), and offset
 * date-times, local date-times, local dates and local times, checked digit by digit and kept as
 * written.
 */
final class TomlScalars {
    private TomlScalars() {}

    /**
     * The value {@code token} stands for: {@code Boolean}, {@code Integer} or {@code Long} (an integer
     * beyond 64 bits as the text written), {@code Double}, or a date or time as written; null when it
     * is none of these.
     */
    static @Nullable Object parse(String token) {
        @Nullable
        Object word =
                switch (token) {
                    case "true" -> true;
                    case "false" -> false;
                    case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan", "+nan", "-nan" -> Double.NaN;
                    default -> null;
                };
        if (word != null) {
            return word;
        }
        if (isDateOrTime(token)) {
            return token;
        }
        if (token.length() > 2 && token.charAt(0) == '0') {
            int radix =
                    switch (token.charAt(1)) {
                        case 'x' -> 16;
                        case 'o' -> 8;
                        case 'b' -> 2;
                        default -> 0;
                    };
            if (radix != 0) {
                return digits(token, 2, token.length(), radix) ? integer(token, token.substring(2), radix) : null;
            }
        }
        int start = token.startsWith("+") || token.startsWith("-") ? 1 : 0;
        int end = token.length();
        int point = token.indexOf('.');
        int exponent = Math.max(token.indexOf('e'), token.indexOf('E'));
        int intEnd = point >= 0 ? point : exponent >= 0 ? exponent : end;
        if (!decimalInteger(token, start, intEnd)) {
            return null;
        }
        if (point < 0 && exponent < 0) {
            return integer(token, token, 10);
        }
        if (point >= 0 && !digits(token, point + 1, exponent >= 0 ? exponent : end, 10)) {
            return null; // a point needs digits on both sides
        }
        if (exponent >= 0) {
            int signed = exponent + 1 < end && (token.charAt(exponent + 1) == '+' || token.charAt(exponent + 1) == '-')
                    ? exponent + 2
                    : exponent + 1;
            if ((point >= 0 && point > exponent) || !digits(token, signed, end, 10)) {
                return null;
            }
        }
        return Double.parseDouble(token.replace("_", ""));
    }

    /** {@code 0}, or a non-zero digit then digits, single underscores between them. */
    private static boolean decimalInteger(String token, int from, int to) {
        if (from >= to) {
            return false;
        }
        if (token.charAt(from) == '0') {
            return to == from + 1;
        }
        return digits(token, from, to, 10);
    }

    /** One or more digits of {@code radix}, each underscore between two digits. */
    private static boolean digits(String token, int from, int to, int radix) {
        if (from >= to) {
            return false;
        }
        boolean digitBefore = false;
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            if (c == '_') {
                if (!digitBefore || i + 1 >= to) {
                    return false;
                }
                digitBefore = false;
            } else if (Character.digit(c, radix) >= 0 && c < 0x80) {
                digitBefore = true;
            } else {
                return false;
            }
        }
        return true;
    }

    private static Object integer(String token, String digits, int radix) {
        try {
            long value = Long.parseLong(digits.replace("_", ""), radix);
            if (value == (int) value) {
                return (int) value;
            }
            return value;
        } catch (NumberFormatException e) {
            return token; // beyond 64 bits: as written, for the binder to report as the wrong type
        }
    }

    // ---------------------------------------------------------------------------------- dates

    /** {@code 1979-05-27}, {@code 07:32:00[.999]}, or a date, T (or t, or a space) and a time [offset]. */
    private static boolean isDateOrTime(String token) {
        if (token.length() >= 8 && token.charAt(2) == ':') {
            return time(token, 0) == token.length();
        }
        if (token.length() < 10 || !isDate(token, 0, 10)) {
            return false;
        }
        if (token.length() == 10) {
            return true;
        }
        char separator = token.charAt(10);
        if (separator != 'T' && separator != 't' && separator != ' ') {
            return false;
        }
        int end = time(token, 11);
        if (end < 0) {
            return false;
        }
        return end == token.length() || offset(token, end) == token.length();
    }

    /** {@code yyyy-mm-dd} at {@code from}, a real day of its month, ending at {@code to}. */
    static boolean isDate(CharSequence text, int from, int to) {
        if (to - from != 10 || text.charAt(from + 4) != '-' || text.charAt(from + 7) != '-') {
            return false;
        }
        int year = number(text, from, 4);
        int month = number(text, from + 5, 2);
        int day = number(text, from + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int days =
                switch (month) {
                    case 2 -> leap ? 29 : 28;
                    case 4, 6, 9, 11 -> 30;
                    default -> 31;
                };
        return day <= days;
    }

    /** Where {@code hh:mm:ss[.fraction]} at {@code from} ends; -1 when there is none. */
    private static int time(String token, int from) {
        if (token.length() < from + 8 || token.charAt(from + 2) != ':' || token.charAt(from + 5) != ':') {
            return -1;
        }
        int hour = number(token, from, 2);
        int minute = number(token, from + 3, 2);
        int second = number(token, from + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return -1;
        }
        int end = from + 8;
        if (end < token.length() && token.charAt(end) == '.') {
            int digits = end + 1;
            while (digits < token.length() && Character.isDigit(token.charAt(digits)) && token.charAt(digits) < 0x80) {
                digits++;
            }
            if (digits == end + 1) {
                return -1;
            }
            end = digits;
        }
        return end;
    }

    /** Where {@code Z}, {@code z} or {@code +hh:mm} / {@code -hh:mm} at {@code from} ends; -1 when none. */
    private static int offset(String token, int from) {
        char c = token.charAt(from);
        if (c == 'Z' || c == 'z') {
            return from + 1;
        }
        if ((c != '+' && c != '-') || token.length() < from + 6 || token.charAt(from + 3) != ':') {
            return -1;
        }
        int hour = number(token, from + 1, 2);
        int minute = number(token, from + 4, 2);
        return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 ? from + 6 : -1;
    }

    /** The {@code count} ASCII digits at {@code from} as a number; -1 when they are not all digits. */
    private static int number(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
