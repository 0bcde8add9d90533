package org.csemu.core.roleenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.csemu.core.model.EnvironmentVariable;
import org.junit.jupiter.api.Test;

class EnvironmentResolverTest {

    private final EnvironmentResolver resolver = new EnvironmentResolver(RoleEnvironmentFixture.document("Web_IN_2"), "Web_IN_2");

    @Test
    void resolves_literals_and_role_instance_values_in_order() throws Exception {
        List<ResolvedVariable> vars = resolver.resolveRuntime(RoleEnvironmentFixture.WEB);
        assertThat(vars).extracting(ResolvedVariable::name, ResolvedVariable::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("LITERAL", "plain value"),
                org.assertj.core.groups.Tuple.tuple("PORT", "8080"),
                org.assertj.core.groups.Tuple.tuple("EMULATED", "true"));
        assertThat(vars.get(0).xpath()).isNull();
        assertThat(EnvironmentResolver.asMap(vars)).containsEntry("PORT", "8080");
    }

    @Test
    void resolves_a_startup_task() throws Exception {
        assertThat(resolver.resolveStartupTask(RoleEnvironmentFixture.WEB, 0))
                .containsExactly(new ResolvedVariable("RUBY_PATH", "/csemu/local/ruby/",
                        "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='ruby']/@path"));
    }

    @Test
    void an_xpath_that_selects_nothing_names_role_variable_and_xpath() {
        EnvironmentVariable v = new EnvironmentVariable("PORT", null,
                "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpInn']/@port", RoleEnvironmentFixture.AT);
        assertThatThrownBy(() -> resolver.resolve("Web", "Runtime", List.of(v)))
                .isInstanceOf(EnvironmentResolutionException.class)
                .hasMessageContaining("ServiceDefinition.csdef:12:9: role 'Web', Runtime, variable 'PORT'")
                .hasMessageContaining("xpath \"/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpInn']/@port\" selects nothing")
                .hasMessageContaining("instance 'Web_IN_2'");
    }

    @Test
    void an_invalid_xpath_is_reported() {
        EnvironmentVariable v = new EnvironmentVariable("X", null, "/RoleEnvironment/[", RoleEnvironmentFixture.AT);
        assertThatThrownBy(() -> resolver.resolve("Web", "startup task 0", List.of(v)))
                .isInstanceOf(EnvironmentResolutionException.class)
                .hasMessageContaining("variable 'X'").hasMessageContaining("is not a valid XPath");
    }

    @Test
    void extension_functions_are_not_available() {
        EnvironmentVariable v = new EnvironmentVariable("X", null, "java:java.lang.System.getProperty('user.home')", RoleEnvironmentFixture.AT);
        assertThatThrownBy(() -> resolver.resolve("Web", "Runtime", List.of(v))).isInstanceOf(EnvironmentResolutionException.class);
    }
}
