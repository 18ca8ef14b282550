package dev.switchboard.cli;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Scope;
import com.google.inject.ScopeAnnotation;
import com.google.inject.Scopes;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * One instance per injector, made on first use. {@code Stage.PRODUCTION} builds every plain
 * {@code @Singleton} while the injector is created; that is right for the long-running gateway but
 * wrong for a CLI where {@code --help} or {@code gateway status} must not pay for, say, channel
 * discovery. Bind such services in this scope (installed by {@link EnvironmentModule}).
 */
@Retention(RUNTIME)
@Target({TYPE, METHOD})
@ScopeAnnotation
public @interface LazySingleton {
    /** The scope behind the annotation: Guice's singleton scope, minus the eager start. */
    Scope SCOPE = new Scope() {
        @Override
        public <T> Provider<T> scope(Key<T> key, Provider<T> unscoped) {
            return Scopes.SINGLETON.scope(key, unscoped);
        }

        @Override
        public String toString() {
            return "LazySingleton.SCOPE";
        }
    };
}
