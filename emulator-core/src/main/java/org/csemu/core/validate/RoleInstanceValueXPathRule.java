package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;

/**
 * A RoleInstanceValue xpath is one of the documented forms, and the setting, local resource or endpoint it names
 * exists in the role (module-declared settings and local resources included). Anything else would evaluate to
 * nothing at run time, silently.
 */
final class RoleInstanceValueXPathRule extends BaseRule {

    private static final Set<String> FIXED = Set.of(
            "/RoleEnvironment/Deployment/@emulated",
            "/RoleEnvironment/Deployment/@id",
            "/RoleEnvironment/CurrentInstance/@id",
            "/RoleEnvironment/CurrentInstance/@updateDomain",
            "/RoleEnvironment/CurrentInstance/@faultDomain",
            "/RoleEnvironment/CurrentInstance/@roleName");

    private static final String NAME = "\\[@name=(?:'([^']*)'|\"([^\"]*)\")\\]";
    private static final Pattern SETTING = Pattern.compile(
            "/RoleEnvironment/CurrentInstance/ConfigurationSettings/ConfigurationSetting" + NAME + "/@value");
    private static final Pattern LOCAL_RESOURCE = Pattern.compile(
            "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource" + NAME + "/@(?:path|sizeInMB)");
    private static final Pattern ENDPOINT = Pattern.compile(
            "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint" + NAME + "/@(?:protocol|address|port)");

    RoleInstanceValueXPathRule() {
        super("CSDEF119", Severity.ERROR, "RoleInstanceValue xpaths use a documented form and name existing items");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            for (ScopedVariable sv : ScopedVariable.of(role)) {
                String xpath = sv.variable().roleInstanceValueXPath();
                if (xpath != null) {
                    check(context, findings, role, sv, xpath.strip());
                }
            }
        }
    }

    private static void check(ValidationContext context, Findings findings, RoleDefinition role, ScopedVariable sv,
            String xpath) {
        if (FIXED.contains(xpath)) {
            return;
        }
        String at = "role '" + role.name() + "': " + sv.where() + " variable '" + sv.variable().name() + "'";
        var loc = sv.variable().location();
        Matcher m;
        if ((m = SETTING.matcher(xpath)).matches()) {
            List<String> names = context.declaredSettings(role).stream().map(DeclaredName::name).toList();
            String name = captured(m);
            if (!names.contains(name) && !context.fromUnknownImportedModule(role, name)) {
                findings.report(loc, at + " reads setting '" + name + "', which the role does not declare"
                        + Names.didYouMean(name, names),
                        "declare <Setting name=\"" + name + "\"/> in the role's <ConfigurationSettings>, or fix the name");
            }
        } else if ((m = LOCAL_RESOURCE.matcher(xpath)).matches()) {
            List<String> names = new ArrayList<>(context.localStorageNames(role));
            String name = captured(m);
            if (!names.contains(name)) {
                findings.report(loc, at + " reads local resource '" + name + "', which the role does not declare"
                        + Names.didYouMean(name, names),
                        "declare <LocalStorage name=\"" + name + "\" sizeInMB=\"100\"/> in the role's <LocalResources>, "
                                + "or fix the name");
            }
        } else if ((m = ENDPOINT.matcher(xpath)).matches()) {
            List<String> names = new ArrayList<>();
            role.endpoints().input().forEach(e -> names.add(e.name()));
            role.endpoints().internal().forEach(e -> names.add(e.name()));
            role.endpoints().instanceInput().forEach(e -> names.add(e.name()));
            context.importedModules(role).forEach(mod -> mod.endpoints().forEach(e -> names.add(e.name())));
            String name = captured(m);
            if (!names.contains(name)) {
                findings.report(loc, at + " reads endpoint '" + name + "', which the role does not declare"
                        + Names.didYouMean(name, names),
                        "declare the endpoint in the role's <Endpoints>, or fix the name");
            }
        } else {
            findings.report(loc, at + " has RoleInstanceValue xpath '" + xpath + "', which is not a documented form",
                    "use one of /RoleEnvironment/Deployment/@id|@emulated, /RoleEnvironment/CurrentInstance/"
                            + "@id|@roleName|@updateDomain|@faultDomain, .../ConfigurationSettings/ConfigurationSetting"
                            + "[@name='X']/@value, .../LocalResources/LocalResource[@name='X']/@path|@sizeInMB, "
                            + ".../Endpoints/Endpoint[@name='X']/@protocol|@address|@port");
        }
    }

    private static String captured(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}
