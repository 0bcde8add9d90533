package org.csemu.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Lays out a package in the Azure SDK's older format as a {@code .csx} directory: the outer zip holds the service
 * definition, a {@code .csman} manifest (SHA-256 of the parts, hex) and one {@code <Role>_<id>.cssx} per role, itself
 * a zip with {@code approot/}, {@code sitesroot/<n>/} and the role model ({@code RoleModel.xml}, whose {@code name}
 * names the role). CSPack encrypted the {@code .cssx} unless {@code _CSPACK_FORCE_NOENCRYPT_} was set; an encrypted one
 * is not a zip, and is refused with the way out. Each {@code .cssx} is copied out under the limits, checked against the
 * {@code .csman}, then opened and checked like any other zip.
 */
final class CssxLayout {

    private static final Pattern GUID_SUFFIX = Pattern.compile("(?i)[_-]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
    private static final List<String> DEFINITION_ENTRIES = List.of(CsxDirectory.DEFINITION, CspackLayout.DEFINITION_CONTENT);

    private final ForeignPackages.Input in;

    CssxLayout(ForeignPackages.Input in) {
        this.in = in;
    }

    ForeignPackages.LaidOut layOut() throws PackageException, IOException {
        Map<String, String> hashes = manifestHashes();
        ZipArchiveEntry definition = DEFINITION_ENTRIES.stream().map(in.entries()::get).filter(e -> e != null).findFirst()
                .orElseThrow(() -> new PackageException(in.display(), "has .cssx role packages but no " + CsxDirectory.DEFINITION,
                        ForeignPackages.CSPACK_FIX));
        long[] total = {0};
        long[] archives = {0};
        checked(definition, copy(in.zip(), definition, total, in.staging().resolve(CsxDirectory.DEFINITION)), hashes);
        Map<String, String> roles = new HashMap<>();
        List<String> cssx = in.entries().keySet().stream().filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".cssx") && n.indexOf('/') < 0)
                .sorted().toList();
        for (int i = 0; i < cssx.size(); i++) {
            ZipArchiveEntry entry = in.entries().get(cssx.get(i));
            Path archive = in.staging().resolve(".cssx-" + i);
            checked(entry, copy(in.zip(), entry, archives, archive), hashes);
            layOutRole(entry.getName(), archive, roles, total);
            Files.delete(archive);
        }
        return new ForeignPackages.LaidOut(in.staging(), "Azure SDK CSPack (older format)");
    }

    private void layOutRole(String entryName, Path archive, Map<String, String> roles, long[] total) throws PackageException, IOException {
        String subject = in.display() + ": entry '" + entryName + "'";
        if (!isZip(archive)) {
            throw new PackageException(subject, "is not a zip archive: CSPack encrypted this role's content (an older-format"
                    + " package is encrypted unless _CSPACK_FORCE_NOENCRYPT_ was set when packaging)", ForeignPackages.ENCRYPTED_FIX);
        }
        try (ZipFile inner = PackageZip.open(archive, subject)) {
            Map<String, ZipArchiveEntry> innerEntries;
            try {
                innerEntries = PackageZip.checkEntries(subject, inner, in.limits(), true);
            } catch (PackageException e) {
                throw new PackageException(e.subject(), e.reason(), e.fix().contains("csemu pack") ? ForeignPackages.CSPACK_FIX : e.fix(), e);
            }
            String role = roleName(entryName, inner, innerEntries);
            String first = roles.putIfAbsent(role.toLowerCase(Locale.ROOT), entryName);
            if (first != null) {
                throw new PackageException(subject, "is a second .cssx for role '" + role + "' (the first is " + first + ")",
                        ForeignPackages.CSPACK_FIX);
            }
            Path roleRoot = in.staging().resolve(CsxDirectory.ROLES).resolve(role);
            Files.createDirectories(roleRoot);
            for (ZipArchiveEntry e : innerEntries.values()) {
                if (PackagePaths.roleFileProblem(e.getName(), in.limits().maxPathLength()).isPresent()) {
                    continue; // the role model and the SDK's Windows host: not used here
                }
                Path target = PackagePaths.resolveInside(roleRoot, e.getName(), entryName + "!" + e.getName());
                try {
                    ForeignPackages.copy(inner, e, -1, in.limits(), total, target);
                } catch (PackageException x) {
                    throw ForeignPackages.inPackage(subject, x);
                } catch (IOException x) {
                    throw new PackageException(subject + ": entry '" + e.getName() + "'", "cannot be inflated (corrupt or truncated): "
                            + x.getMessage(), ForeignPackages.CSPACK_FIX, x);
                }
                if (ForeignPackages.executable(e, e.getName())) {
                    ForeignPackages.makeExecutable(target);
                }
            }
        }
    }

    /** The role a {@code .cssx} is for: its {@code RoleModel.xml} says so; else its name without the id CSPack appends. */
    private String roleName(String entryName, ZipFile inner, Map<String, ZipArchiveEntry> innerEntries) throws PackageException, IOException {
        String name = null;
        ZipArchiveEntry model = innerEntries.get("RoleModel.xml");
        if (model != null) {
            Element root = ForeignXml.parse(PackageZip.readSmall(inner, model, in.limits().maxManifestBytes(), in.limits()),
                    in.display() + ": " + entryName + "!RoleModel.xml");
            name = root.getAttribute("name");
        }
        if (name == null || name.isEmpty()) {
            name = GUID_SUFFIX.matcher(entryName.substring(0, entryName.length() - ".cssx".length())).replaceFirst("");
        }
        if (!PackagePaths.isRoleName(name)) {
            throw new PackageException(in.display() + ": entry '" + entryName + "'", "does not say which role it is for (no RoleModel.xml"
                    + " name, and '" + name + "' is not a role name)", ForeignPackages.CSPACK_FIX);
        }
        return name;
    }

    /** Part name (lower case) → SHA-256 (lower-case hex) from the {@code .csman}, when the package has one. */
    private Map<String, String> manifestHashes() throws PackageException, IOException {
        Map<String, String> hashes = new HashMap<>();
        for (ZipArchiveEntry e : in.entries().values()) {
            if (!e.getName().toLowerCase(Locale.ROOT).endsWith(".csman")) {
                continue;
            }
            Element root;
            try {
                byte[] xml = PackageZip.readSmall(in.zip(), e, in.limits().maxManifestBytes(), in.limits());
                root = ForeignXml.parse(xml, in.display() + ": " + e.getName());
            } catch (PackageException x) {
                throw ForeignPackages.inPackage(in.display(), x);
            }
            NodeList all = root.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                Node n = all.item(i);
                if (n instanceof Element item && !item.getAttribute("name").isEmpty() && !item.getAttribute("hash").isEmpty()) {
                    hashes.put(item.getAttribute("name").replace('\\', '/').toLowerCase(Locale.ROOT),
                            item.getAttribute("hash").toLowerCase(Locale.ROOT));
                }
            }
        }
        return hashes;
    }

    private void checked(ZipArchiveEntry entry, String sha, Map<String, String> hashes) throws PackageException {
        String expected = hashes.get(entry.getName().toLowerCase(Locale.ROOT));
        if (expected != null && !expected.equals(sha)) {
            throw new PackageException(in.display() + ": entry '" + entry.getName() + "'", "its SHA-256 is " + sha
                    + " but the package manifest (.csman) lists " + expected + " (corrupt or tampered)", ForeignPackages.CSPACK_FIX);
        }
    }

    private String copy(ZipFile from, ZipArchiveEntry entry, long[] counter, Path target) throws PackageException, IOException {
        try {
            return ForeignPackages.copy(from, entry, -1, in.limits(), counter, target);
        } catch (PackageException e) {
            throw ForeignPackages.inPackage(in.display(), e);
        } catch (IOException e) {
            throw new PackageException(in.display() + ": entry '" + entry.getName() + "'", "cannot be inflated (corrupt or truncated): "
                    + e.getMessage(), ForeignPackages.CSPACK_FIX, e);
        }
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }
}
