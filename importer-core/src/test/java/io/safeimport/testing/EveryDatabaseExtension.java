package io.safeimport.testing;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.util.AnnotationUtils;

/** The invocations of an {@link EveryDatabase} test: one per kind, each resolving its {@link TestDatabase} parameter. */
public final class EveryDatabaseExtension implements TestTemplateInvocationContextProvider {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EveryDatabaseExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationUtils.isAnnotated(context.getTestMethod(), EveryDatabase.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        EveryDatabase every = AnnotationUtils.findAnnotation(context.getRequiredTestMethod(), EveryDatabase.class).orElseThrow();
        return Arrays.stream(every.value()).map(kind -> invocation(kind, every.migrated()));
    }

    private static TestTemplateInvocationContext invocation(String kind, boolean migrated) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return kind;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Resolver(kind, migrated));
            }
        };
    }

    /**
     * Creates the invocation's database when a parameter asks for it, and keeps it in the
     * invocation's store, which closes it when the invocation ends (passed, failed or aborted).
     */
    private record Resolver(String kind, boolean migrated) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class,
                    k -> new Closing(migrated ? TestDatabase.create(kind) : TestDatabase.createEmpty(kind)), Closing.class).db();
        }
    }

    /** A database in an extension store: closed with the store. */
    private record Closing(TestDatabase db) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            db.close();
        }
    }
}
