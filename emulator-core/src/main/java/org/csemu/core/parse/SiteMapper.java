package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.csemu.core.model.Binding;
import org.csemu.core.model.Site;
import org.csemu.core.model.VirtualPath;
import org.csemu.schemas.csdef.Sites;
import org.csemu.schemas.csdef.VirtualApplication;
import org.csemu.schemas.csdef.VirtualDirectory;

/** Web role Sites with their bindings and the recursive VirtualDirectory / VirtualApplication tree. */
final class SiteMapper {

    private final MappingContext context;

    SiteMapper(MappingContext context) {
        this.context = context;
    }

    List<Site> map(Sites sites) {
        if (sites == null) {
            return List.of();
        }
        List<Site> out = new ArrayList<>();
        for (org.csemu.schemas.csdef.Site site : sites.getSite()) {
            List<Binding> bindings = new ArrayList<>();
            if (site.getBindings() != null) {
                for (org.csemu.schemas.csdef.Binding b : site.getBindings().getBinding()) {
                    bindings.add(new Binding(b.getName(), b.getEndpointName(), b.getHostHeader(), context.at(b)));
                }
            }
            out.add(new Site(site.getName(), site.getPhysicalDirectory(), children(site.getVirtualApplicationOrVirtualDirectory()),
                    bindings, context.at(site)));
        }
        return out;
    }

    private List<VirtualPath> children(List<Object> nested) {
        List<VirtualPath> out = new ArrayList<>();
        for (Object child : nested) {
            if (child instanceof VirtualApplication app) {
                out.add(new VirtualPath(VirtualPath.Kind.APPLICATION, app.getName(), app.getPhysicalDirectory(),
                        children(app.getVirtualApplicationOrVirtualDirectory()), context.at(app)));
            } else if (child instanceof VirtualDirectory dir) {
                out.add(new VirtualPath(VirtualPath.Kind.DIRECTORY, dir.getName(), dir.getPhysicalDirectory(),
                        children(dir.getVirtualApplicationOrVirtualDirectory()), context.at(dir)));
            }
        }
        return out;
    }
}
