package dev.switchboard.core.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One line for an operator about an exception: its message, or its type when it has none. */
public final class Failures {
    private Failures() {}

    /**
     * {@code no such file: /x/owner.json}, {@code permission denied: /x}, {@code connection refused};
     * the simple class name when the exception carries no message. Never a stack trace.
     */
    public static String describe(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + e.getMessage();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // a FileSystemException's message is "<file>: <reason>" or just the file
        return e instanceof FileSystemException fs && fs.getReason() == null
                ? e.getClass().getSimpleName() + ": " + message
                : message;
    }
}
