package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Scope;
import com.google.inject.Stage;
import com.google.inject.spi.DefaultBindingScopingVisitor;
import dev.switchboard.core.channel.ChannelRegistry;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class ChannelsModuleTest {
    @Test
    void channelDiscoveryIsLazyButHappensOncePerInjector() {
        Injector injector = Guice.createInjector(
                Stage.PRODUCTION,
                new EnvironmentModule(CliRun.environment(new ByteArrayOutputStream(), new ByteArrayOutputStream())),
                new ChannelsModule());
        Binding<ChannelRegistry> binding = injector.getBinding(ChannelRegistry.class);

        boolean eager = binding.acceptScopingVisitor(new DefaultBindingScopingVisitor<>() {
            @Override
            public Boolean visitEagerSingleton() {
                return true;
            }

            @Override
            public Boolean visitScope(Scope scope) {
                return scope != LazySingleton.SCOPE;
            }

            @Override
            protected Boolean visitOther() {
                return true;
            }
        });
        assertThat(eager)
                .as("ChannelRegistry built while the injector is created")
                .isFalse();
        assertThat(injector.getInstance(ChannelRegistry.class)).isSameAs(injector.getInstance(ChannelRegistry.class));
    }
}
