package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import com.google.inject.Key;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Lets picocli make commands (and mixins, converters, ...) through the injector, so commands use
 * constructor injection. Classes without a binding (picocli's own collections, converters with a
 * no-arg constructor) come from picocli's default factory; no just-in-time bindings are created.
 */
final class GuiceFactory implements IFactory {
    private final Injector injector;
    private final IFactory fallback = CommandLine.defaultFactory();

    GuiceFactory(Injector injector) {
        this.injector = requireNonNull(injector, "injector is null");
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (injector.getExistingBinding(Key.get(type)) != null) {
            return injector.getInstance(type);
        }
        return fallback.create(type);
    }
}
