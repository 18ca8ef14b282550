package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import java.time.Clock;

/** The world outside the process ({@link CliEnvironment}) and the parsed {@link GlobalOptions}. */
public final class EnvironmentModule extends AbstractModule {
    private final CliEnvironment environment;

    public EnvironmentModule(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bindScope(LazySingleton.class, LazySingleton.SCOPE);
        bind(CliEnvironment.class).toInstance(environment);
        bind(Clock.class).toInstance(environment.clock());
        // one per invocation; picocli fills it while parsing, commands read it in call()
        bind(GlobalOptions.class).in(Scopes.SINGLETON);
    }
}
