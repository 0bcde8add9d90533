package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SettingDeclaration;
import org.csemu.core.model.SourceLocation;

/** Service, role, endpoint, setting, certificate, local storage and import names follow NamedElementNameString. */
final class InvalidNameRule extends BaseRule {

    InvalidNameRule() {
        super("CSDEF101", Severity.ERROR, "names follow the schema's NamedElementNameString pattern");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var def = context.definition();
        check(findings, "service", def.name(), def.location());
        for (RoleDefinition role : def.roles()) {
            check(findings, "role", role.name(), role.location());
            String in = " of role '" + role.name() + "'";
            for (InputEndpoint e : role.endpoints().input()) {
                check(findings, "input endpoint" + in + ":", e.name(), e.location());
            }
            for (InternalEndpoint e : role.endpoints().internal()) {
                check(findings, "internal endpoint" + in + ":", e.name(), e.location());
            }
            for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
                check(findings, "instance input endpoint" + in + ":", e.name(), e.location());
            }
            for (SettingDeclaration s : role.settings()) {
                check(findings, "setting" + in + ":", s.name(), s.location());
            }
            for (CertificateDeclaration c : role.certificates()) {
                check(findings, "certificate" + in + ":", c.name(), c.location());
            }
            for (LocalStorage l : role.localStorage()) {
                check(findings, "local storage" + in + ":", l.name(), l.location());
            }
            for (ModuleImport i : role.imports()) {
                check(findings, "imported module" + in + ":", i.moduleName(), i.location());
            }
        }
    }

    private static void check(Findings findings, String what, String name, SourceLocation at) {
        if (!Names.isNamedElementName(name)) {
            findings.report(at, "invalid " + what + " name '" + (name == null ? "" : name) + "'",
                    "start the name with a letter or '_', do not use any of \\ / : * ? \" < > | ` ' ^, "
                            + "and do not end it with '.' or a space");
        }
    }
}
