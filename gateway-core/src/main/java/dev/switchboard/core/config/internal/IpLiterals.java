package dev.switchboard.core.config.internal;

/** Syntax checks for IP address literals, without any name lookup. */
public final class IpLiterals {
    private IpLiterals() {}

    public static boolean isIpLiteral(String text) {
        return isIpv4(text) || isIpv6(text);
    }

    public static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                return false; // no octal-looking 010
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Full, compressed ({@code ::}) and IPv4-suffixed forms; no zone ids, no brackets. */
    public static boolean isIpv6(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int groups = 0;
        String[][] halves = {
            head.isEmpty() ? new String[0] : head.split(":", -1), tail.isEmpty() ? new String[0] : tail.split(":", -1)
        };
        for (int h = 0; h < 2; h++) {
            String[] parts = halves[h];
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                boolean last = (h == 1 || doubleColon < 0) && i == parts.length - 1;
                if (last && part.indexOf('.') >= 0) {
                    if (!isIpv4(part)) {
                        return false;
                    }
                    groups += 2;
                    continue;
                }
                if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpLiterals::isHex)) {
                    return false;
                }
                groups++;
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
