package {{package}};

import {{package}}.generated.{{Camel}};
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.plugin.PluginDependency;
import java.util.List;

/**
 * The {{name}} plugin as Flotilla's plugin loader sees it (named in
 * META-INF/services/io.flotilla.plugin.FlotillaPlugin): its interfaces, and a Guice module offering
 * {@link {{Camel}}Protocol}. `flotilla plugins -cp target/{{artifactId}}-0.1.0.jar` lists it.
 */
public final class {{Camel}}Plugin implements FlotillaPlugin {

    /** ServiceLoader's way in: public, no arguments, and nothing in it that can fail. */
    public {{Camel}}Plugin() {}

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String requiredApi() {
        return "1.0";
    }

    @Override
    public List<String> interfaces() {
        return List.of("{{packagePath}}/{{snake}}.if");
    }

    @Override
    public List<InterfaceDescriptor> descriptors() {
        return List.of({{Camel}}.DESCRIPTOR);
    }

    @Override
    public List<PluginDependency> dependencies() {
        return List.of();
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind({{Camel}}Protocol.class).toInstance(new {{Camel}}Protocol());
            }
        };
    }
}
