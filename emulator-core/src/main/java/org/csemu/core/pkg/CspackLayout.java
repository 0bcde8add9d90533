package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.w3c.dom.Element;

/**
 * Lays out a package in the Azure SDK's current format (an OPC zip, format 2012/03/15) as a {@code .csx} directory.
 *
 * <p>{@code package.xml} is a {@code PackageDefinition}: {@code PackageContents} lists every blob (a
 * {@code ContentDefinition}: its {@code Name}, {@code LengthInBytes}, {@code IntegrityCheckHashAlgortihm} — spelt so —
 * and base64 {@code IntegrityCheckHash}, and the zip part it is in, {@code DataStorePath}, e.g.
 * {@code LocalContent/<id>}); {@code PackageLayouts} has one {@code LayoutDefinition} per role, named
 * {@code Roles/<role>}, whose {@code FileDefinition}s map a path in the role ({@code \approot\bin\x.dll},
 * {@code \sitesroot\0\index.html}) to a blob ({@code DataContentReference}). Every blob is verified (length, and hash
 * unless the algorithm is {@code None}) before anything is laid out; files under {@code approot} and
 * {@code sitesroot/<n>} are laid out and checked again; the rest of a role (the SDK's {@code base\x64} host,
 * {@code RoleModel.xml}, plugins) is Windows runtime csemu does not use. Parts no content definition names are never
 * read.
 */
final class CspackLayout {

    static final String MANIFEST = "package.xml";
    static final String RELATIONSHIPS = "_rels/.rels";
    static final String NAMESPACE = "http://schemas.microsoft.com/windowsazure";
    static final String DEFINITION_CONTENT = "ServiceDefinition/ServiceDefinition.csdef";
    static final String PACKAGE_DEFINITION_RELATIONSHIP = "http://schemas.microsoft.com/windowsazure/PackageDefinition/Version/2012/03/15";
    static final String PRODUCT_VERSION_KEY = "http://schemas.microsoft.com/windowsazure/ProductVersion/";
    static final String ROLE_LAYOUT_PREFIX = "Roles/";

    private final ForeignPackages.Input in;

    CspackLayout(ForeignPackages.Input in) {
        this.in = in;
    }

    /** One blob of {@code PackageContents}; {@code sha256} is lower-case hex, or null for algorithm {@code None}. */
    private record Content(String name, String entryName, long length, String sha256) {
    }

    ForeignPackages.LaidOut layOut() throws PackageException, IOException {
        String manifestName = manifestEntry();
        ZipArchiveEntry manifestEntry = in.entries().get(manifestName);
        if (manifestEntry == null) {
            throw new PackageException(in.display(), "has no " + manifestName + " (the package definition of a CSPack package)",
                    ForeignPackages.CSPACK_FIX);
        }
        Element root = ForeignXml.parse(small(manifestEntry), in.display() + ": " + manifestName);
        String subject = in.display() + ": " + manifestName;
        if (!"PackageDefinition".equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
            throw new PackageException(subject, "has root element {" + root.getNamespaceURI() + "}" + root.getLocalName()
                    + ", expected {" + NAMESPACE + "}PackageDefinition", ForeignPackages.CSPACK_FIX);
        }
        Map<String, String> metadata = metadata(root);
        refuseEncrypted(subject, metadata);
        Map<String, Content> contents = contents(subject, root);
        long[] total = {0};
        for (Content c : contents.values()) {
            String sha = verify(c, total);
            if (c.sha256() != null && !c.sha256().equals(sha)) {
                throw new PackageException(in.display() + ": entry '" + c.entryName() + "' (content " + c.name() + ")", "its SHA-256 is "
                        + sha + " but package.xml lists " + c.sha256() + " (corrupt or tampered)", ForeignPackages.CSPACK_FIX);
            }
        }
        Content definition = contents.values().stream().filter(c -> c.name().equalsIgnoreCase(DEFINITION_CONTENT)).findFirst()
                .orElseThrow(() -> new PackageException(subject, "lists no content " + DEFINITION_CONTENT,
                        ForeignPackages.CSPACK_FIX));
        total[0] = 0;
        copy(definition, in.staging().resolve(CsxDirectory.DEFINITION), total, in.display());
        layOutRoles(subject, root, contents, total);
        String version = metadata.get(PRODUCT_VERSION_KEY);
        return new ForeignPackages.LaidOut(in.staging(), "Azure SDK CSPack" + (version == null || version.isBlank() ? "" : " " + version));
    }

    /** The package definition's part: the target of the package relationship when there is one, else package.xml. */
    private String manifestEntry() throws PackageException, IOException {
        ZipArchiveEntry rels = in.entries().get(RELATIONSHIPS);
        if (rels == null) {
            return MANIFEST;
        }
        Element root = ForeignXml.parse(small(rels), in.display() + ": " + RELATIONSHIPS);
        for (Element r : ForeignXml.children(root, "Relationship")) {
            if (r.getAttribute("Type").startsWith("http://schemas.microsoft.com/windowsazure/PackageDefinition/")) {
                String target = r.getAttribute("Target");
                while (target.startsWith("/")) {
                    target = target.substring(1);
                }
                Optional<String> problem = PackagePaths.problem(target, in.limits().maxPathLength());
                if (problem.isPresent()) {
                    throw new PackageException(in.display() + ": " + RELATIONSHIPS, "names the package definition '" + target
                            + "', which is refused: " + problem.get(), "do not use this package");
                }
                return target;
            }
        }
        return MANIFEST;
    }

    private static Map<String, String> metadata(Element root) {
        Map<String, String> metadata = new LinkedHashMap<>();
        ForeignXml.child(root, "PackageMetaData").ifPresent(m -> {
            for (Element kv : ForeignXml.children(m, "KeyValuePair")) {
                metadata.put(ForeignXml.text(kv, "Key").orElse(""), ForeignXml.text(kv, "Value").orElse(""));
            }
        });
        return metadata;
    }

    /**
     * The current format documents no encryption marker; a package whose metadata says its content is encrypted (a
     * key naming encryption with a value other than false) is refused rather than laid out as garbage. Blobs that
     * do not match their hash are refused by the verification anyway.
     */
    private static void refuseEncrypted(String subject, Map<String, String> metadata) throws PackageException {
        for (Map.Entry<String, String> kv : metadata.entrySet()) {
            if (kv.getKey().toLowerCase(Locale.ROOT).contains("encrypt") && !kv.getValue().equalsIgnoreCase("false")) {
                throw new PackageException(subject, "says its content is encrypted (" + kv.getKey() + " = " + kv.getValue() + ")",
                        ForeignPackages.ENCRYPTED_FIX);
            }
        }
    }

    private Map<String, Content> contents(String subject, Element root) throws PackageException {
        Map<String, Content> byName = new LinkedHashMap<>();
        Element list = ForeignXml.child(root, "PackageContents").orElseThrow(() -> new PackageException(subject,
                "has no PackageContents", ForeignPackages.CSPACK_FIX));
        long listed = 0;
        for (Element cd : ForeignXml.children(list, "ContentDefinition")) {
            String name = ForeignXml.text(cd, "Name").orElse("");
            String where = subject + ": content '" + name + "'";
            Element description = ForeignXml.child(cd, "ContentDescription").orElseThrow(() -> new PackageException(where,
                    "has no ContentDescription", ForeignPackages.CSPACK_FIX));
            String path = ForeignXml.text(description, "DataStorePath").orElse("");
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            Optional<String> problem = PackagePaths.problem(path, in.limits().maxPathLength());
            if (problem.isPresent()) {
                throw new PackageException(where, "has DataStorePath '" + path + "', which is refused: " + problem.get(),
                        "do not use this package");
            }
            long length;
            try {
                length = Long.parseLong(ForeignXml.text(description, "LengthInBytes").orElse(""));
            } catch (NumberFormatException e) {
                throw new PackageException(where, "has no valid LengthInBytes", ForeignPackages.CSPACK_FIX);
            }
            if (length < 0) {
                throw new PackageException(where, "has a negative LengthInBytes", ForeignPackages.CSPACK_FIX);
            }
            listed += length;
            if (listed > in.limits().maxUnpackedBytes()) {
                throw new PackageException(in.display(), "would unpack to more than " + in.limits().maxUnpackedBytes() + " bytes (per its"
                        + " package.xml)", "keep packages within 600 MB unpacked, or raise the limit for a package you trust");
            }
            String algorithm = ForeignXml.text(description, "IntegrityCheckHashAlgortihm")
                    .or(() -> ForeignXml.text(description, "IntegrityCheckHashAlgorithm")).orElse("None");
            String sha = switch (algorithm.toLowerCase(Locale.ROOT)) {
                case "none", "" -> null;
                case "sha256" -> sha256Hex(where, ForeignXml.text(description, "IntegrityCheckHash").orElse(""));
                default -> throw new PackageException(where, "uses the hash algorithm '" + algorithm + "'; csemu checks Sha256"
                        + " (and accepts None)", ForeignPackages.CSPACK_FIX);
            };
            ZipArchiveEntry entry = in.entries().get(path);
            if (entry == null) {
                throw new PackageException(where, "is in part '" + path + "', which the package does not have",
                        ForeignPackages.CSPACK_FIX);
            }
            if (entry.getSize() >= 0 && entry.getSize() != length) {
                throw new PackageException(in.display() + ": entry '" + path + "'", "the zip declares " + entry.getSize()
                        + " bytes but package.xml lists " + length, ForeignPackages.CSPACK_FIX);
            }
            if (byName.putIfAbsent(name, new Content(name, path, length, sha)) != null) {
                throw new PackageException(where, "is listed twice", ForeignPackages.CSPACK_FIX);
            }
        }
        return byName;
    }

    private static String sha256Hex(String where, String base64) throws PackageException {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (digest.length != 32) {
            throw new PackageException(where, "has an IntegrityCheckHash that is not a base64 SHA-256 ('" + base64 + "')",
                    ForeignPackages.CSPACK_FIX);
        }
        return HexFormat.of().formatHex(digest);
    }

    private void layOutRoles(String subject, Element root, Map<String, Content> contents, long[] total)
            throws PackageException, IOException {
        Map<String, Content> byStorePath = new HashMap<>();
        contents.values().forEach(c -> byStorePath.putIfAbsent(c.entryName(), c));
        Map<String, String> roles = new HashMap<>();
        for (Element layout : ForeignXml.child(root, "PackageLayouts").map(l -> ForeignXml.children(l, "LayoutDefinition"))
                .orElse(List.of())) {
            String name = ForeignXml.text(layout, "Name").orElse("");
            if (!name.startsWith(ROLE_LAYOUT_PREFIX)) {
                continue;
            }
            String role = name.substring(ROLE_LAYOUT_PREFIX.length());
            String where = subject + ": layout '" + name + "'";
            if (!PackagePaths.isRoleName(role)) {
                throw new PackageException(where, "does not name a role", "do not use this package");
            }
            if (roles.put(role.toLowerCase(Locale.ROOT), role) != null) {
                throw new PackageException(where, "is listed twice", ForeignPackages.CSPACK_FIX);
            }
            Path roleRoot = in.staging().resolve(CsxDirectory.ROLES).resolve(role);
            java.nio.file.Files.createDirectories(roleRoot);
            List<Element> files = ForeignXml.child(layout, "LayoutDescription")
                    .map(d -> ForeignXml.children(d, "FileDefinition")).orElse(List.of());
            for (Element file : files) {
                String filePath = ForeignXml.text(file, "FilePath").orElse("");
                String path = filePath.replace('\\', '/');
                while (path.startsWith("/")) {
                    path = path.substring(1);
                }
                String fileWhere = where + ": file '" + filePath + "'";
                Optional<String> problem = PackagePaths.problem(path, in.limits().maxPathLength());
                if (problem.isPresent()) {
                    throw new PackageException(fileWhere, "is refused: " + problem.get(), "do not use this package");
                }
                String reference = ForeignXml.child(file, "FileDescription").flatMap(d -> ForeignXml.text(d, "DataContentReference"))
                        .orElse("");
                Content content = contents.get(reference);
                if (content == null) {
                    content = byStorePath.get(reference.startsWith("/") ? reference.substring(1) : reference);
                }
                if (content == null) {
                    throw new PackageException(fileWhere, "refers to content '" + reference + "', which PackageContents does not list",
                            ForeignPackages.CSPACK_FIX);
                }
                if (PackagePaths.roleFileProblem(path, in.limits().maxPathLength()).isPresent()) {
                    continue; // the SDK's Windows host (base\x64, RoleModel.xml, plugins): verified above, not used here
                }
                Path target = PackagePaths.resolveInside(roleRoot, path, name + "/" + path);
                copy(content, target, total, fileWhere);
                if (ForeignPackages.executable(in.entries().get(content.entryName()), path)) {
                    ForeignPackages.makeExecutable(target);
                }
            }
        }
    }

    private String verify(Content c, long[] total) throws PackageException, IOException {
        try {
            return ForeignPackages.verify(in.zip(), in.entries().get(c.entryName()), c.length(), in.limits(), total);
        } catch (PackageException e) {
            throw ForeignPackages.inPackage(in.display(), e);
        } catch (IOException e) {
            throw new PackageException(in.display() + ": entry '" + c.entryName() + "'", "cannot be inflated (corrupt or truncated): "
                    + e.getMessage(), ForeignPackages.CSPACK_FIX, e);
        }
    }

    /** Copies a verified blob to {@code target}, checking it again; {@code context} starts every message. */
    private void copy(Content c, Path target, long[] total, String context) throws PackageException, IOException {
        String sha;
        try {
            sha = ForeignPackages.copy(in.zip(), in.entries().get(c.entryName()), c.length(), in.limits(), total, target);
        } catch (PackageException e) {
            throw ForeignPackages.inPackage(context, e);
        }
        if (c.sha256() != null && !c.sha256().equals(sha)) {
            throw new PackageException(context + ": entry '" + c.entryName() + "'", "changed while it was read (SHA-256 " + sha
                    + ", package.xml lists " + c.sha256() + ")", ForeignPackages.CSPACK_FIX);
        }
    }

    private byte[] small(ZipArchiveEntry entry) throws PackageException, IOException {
        try {
            return PackageZip.readSmall(in.zip(), entry, in.limits().maxManifestBytes(), in.limits());
        } catch (PackageException e) {
            throw ForeignPackages.inPackage(in.display(), e);
        }
    }
}
