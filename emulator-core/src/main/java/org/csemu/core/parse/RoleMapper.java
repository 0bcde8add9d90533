package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.SettingDeclaration;
import org.csemu.schemas.csdef.Certificates;
import org.csemu.schemas.csdef.ConfigurationSettings;
import org.csemu.schemas.csdef.Contents;
import org.csemu.schemas.csdef.Imports;
import org.csemu.schemas.csdef.LocalResources;
import org.csemu.schemas.csdef.LocalStore;
import org.csemu.schemas.csdef.VirtualMachineRole;
import org.csemu.schemas.csdef.WebRole;
import org.csemu.schemas.csdef.WorkerRole;

/** One role element (web, worker, VM) to a {@link RoleDefinition}, delegating endpoints, startup/runtime and sites. */
final class RoleMapper {

    private final MappingContext context;
    private final EndpointMapper endpoints;
    private final StartupRuntimeMapper startupRuntime;
    private final SiteMapper sites;

    RoleMapper(MappingContext context) {
        this.context = context;
        this.endpoints = new EndpointMapper(context);
        this.startupRuntime = new StartupRuntimeMapper(context);
        this.sites = new SiteMapper(context);
    }

    RoleDefinition map(Object role) {
        if (role instanceof WebRole web) {
            return web(web);
        }
        if (role instanceof WorkerRole worker) {
            return worker(worker);
        }
        if (role instanceof VirtualMachineRole vm) {
            return virtualMachine(vm);
        }
        throw new IllegalArgumentException("not a role element: " + role);
    }

    private RoleDefinition web(WebRole r) {
        return new RoleDefinition(r.getName(), RoleKind.WEB_ROLE, vmSize(r.getVmsize()), nativeCode(r.isEnableNativeCodeExecution()),
                endpoints.map(r.getEndpoints(), r.getInputEndpoints(), r.getInternalEndpoint()),
                settings(r.getConfigurationSettings()), localStorage(r.getLocalResources(), r.getLocalStorage()),
                certificates(r.getCertificates()), imports(r.getImports()), startupRuntime.tasks(r.getStartup()),
                startupRuntime.webRuntime(r.getRuntime()), contents(r.getContents()), sites.map(r.getSites()), context.at(r));
    }

    private RoleDefinition worker(WorkerRole r) {
        return new RoleDefinition(r.getName(), RoleKind.WORKER_ROLE, vmSize(r.getVmsize()), nativeCode(r.isEnableNativeCodeExecution()),
                endpoints.map(r.getEndpoints(), null, null),
                settings(r.getConfigurationSettings()), localStorage(r.getLocalResources(), r.getLocalStorage()),
                certificates(r.getCertificates()), imports(r.getImports()), startupRuntime.tasks(r.getStartup()),
                startupRuntime.workerRuntime(r.getRuntime()), contents(r.getContents()), List.of(), context.at(r));
    }

    private RoleDefinition virtualMachine(VirtualMachineRole r) {
        Endpoints roleEndpoints = endpoints.map(r.getEndpoints(), null, null);
        return new RoleDefinition(r.getName(), RoleKind.VIRTUAL_MACHINE_ROLE, vmSize(r.getVmsize()),
                ServiceModelDefaults.ENABLE_NATIVE_CODE_EXECUTION, roleEndpoints, settings(r.getConfigurationSettings()),
                localStorage(r.getLocalResources(), null), certificates(r.getCertificates()), imports(r.getImports()),
                List.of(), Optional.empty(), List.of(), List.of(), context.at(r));
    }

    private static String vmSize(String vmsize) {
        return vmsize == null || vmsize.isBlank() ? ServiceModelDefaults.VM_SIZE : vmsize.trim();
    }

    private static boolean nativeCode(Boolean value) {
        return value == null ? ServiceModelDefaults.ENABLE_NATIVE_CODE_EXECUTION : value;
    }

    private List<SettingDeclaration> settings(ConfigurationSettings settings) {
        if (settings == null) {
            return List.of();
        }
        return settings.getSetting().stream().map(s -> new SettingDeclaration(s.getName(), context.at(s))).toList();
    }

    /** LocalResources/LocalStorage first, then the legacy role-level LocalStorage element. */
    private List<LocalStorage> localStorage(LocalResources resources, LocalStore legacy) {
        List<LocalStorage> out = new ArrayList<>();
        if (resources != null) {
            resources.getLocalStorage().forEach(s -> out.add(store(s)));
        }
        if (legacy != null) {
            out.add(store(legacy));
        }
        return out;
    }

    private LocalStorage store(LocalStore s) {
        return new LocalStorage(s.getName(),
                s.getSizeInMB() == null ? ServiceModelDefaults.LOCAL_STORAGE_SIZE_MB : s.getSizeInMB(),
                s.isCleanOnRoleRecycle() == null ? ServiceModelDefaults.CLEAN_ON_ROLE_RECYCLE : s.isCleanOnRoleRecycle(),
                context.at(s));
    }

    private List<CertificateDeclaration> certificates(Certificates certificates) {
        if (certificates == null) {
            return List.of();
        }
        return certificates.getCertificate().stream().map(c -> new CertificateDeclaration(c.getName(), c.getStoreLocation().value(),
                c.getStoreName(), c.getPermissionLevel() == null ? ServiceModelDefaults.CERTIFICATE_PERMISSION_LEVEL
                        : c.getPermissionLevel().value(), context.at(c))).toList();
    }

    private List<ModuleImport> imports(Imports imports) {
        if (imports == null) {
            return List.of();
        }
        return imports.getImport().stream().map(i -> new ModuleImport(i.getModuleName(), context.at(i))).toList();
    }

    private List<ContentMapping> contents(Contents contents) {
        if (contents == null) {
            return List.of();
        }
        return contents.getContent().stream()
                .map(c -> new ContentMapping(c.getDestination(), c.getSourceDirectory().getPath(), context.at(c))).toList();
    }
}
