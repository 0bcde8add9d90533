package org.csemu.core.pkg;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.Site;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.VirtualPath;
import org.csemu.core.parse.ParseResult;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.csemu.core.pkg.PackageManifest.RoleLayout;

/**
 * Builds a {@code .cspkg} from a service definition and its roles' content, like CSPack: {@code --role} directories
 * become the role's {@code approot}, {@code --sites} directories (or the definition's {@code physicalDirectory})
 * become {@code sitesroot/<site index>}, and {@code Contents/Content} mappings are copied under {@code approot}.
 *
 * <p>The output is deterministic: the same inputs give the same bytes (entries in a fixed order, one fixed
 * timestamp, no file-system metadata but the executable bit, which the manifest records). The package is written to
 * a temporary file beside the output and moved into place, so a failed build never leaves a partial package.
 *
 * <p>Over 400 lines (463): the builder's options, the mapping of roles, sites and {@code Contents} to package paths
 * and the zip writing are one pass over one definition; the file walks are {@link ContentCollector}'s and the
 * manifest is {@link PackageManifest}'s.
 */
public final class PackageBuilder {

    /** The creation tool recorded when the caller names none. */
    public static final String DEFAULT_CREATED_BY = "csemu";

    private final Path definitionFile;
    private final byte[] definitionBytes;
    private final ServiceDefinition definition;
    private final Map<String, Path> roleDirectories = new LinkedHashMap<>();
    private final Map<String, Path> laidOutRoles = new LinkedHashMap<>();
    private final List<SiteContent> sites = new ArrayList<>();
    private final List<Diagnostic> definitionWarnings = new ArrayList<>();
    private PackageLimits limits = PackageLimits.DEFAULTS;
    private String createdBy = DEFAULT_CREATED_BY;

    private PackageBuilder(Path definitionFile, byte[] definitionBytes, ServiceDefinition definition) {
        this.definitionFile = Objects.requireNonNull(definitionFile, "definitionFile");
        this.definitionBytes = definitionBytes.clone();
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    /**
     * A builder for an already parsed definition.
     *
     * @param definitionFile  the {@code .csdef}; relative {@code SourceDirectory} and {@code physicalDirectory} paths
     *                        are resolved against its directory
     * @param definitionBytes its bytes, stored unchanged in the package
     * @param definition      the parsed model of those bytes (must have parsed without errors)
     */
    public static PackageBuilder forDefinition(Path definitionFile, byte[] definitionBytes, ServiceDefinition definition) {
        return new PackageBuilder(definitionFile, definitionBytes, definition);
    }

    /**
     * A builder for a {@code .csdef} file, which must parse without errors (the package carries it unchanged).
     *
     * @throws PackageException the file cannot be read or has errors; {@link PackageException#diagnostics()} lists them
     */
    public static PackageBuilder forDefinitionFile(Path definitionFile, ServiceModelParser parser) throws PackageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(definitionFile);
        } catch (IOException e) {
            throw new PackageException(definitionFile.toString(), "cannot be read: " + e.getMessage(), "give the path of the .csdef", e);
        }
        ParseResult<ServiceDefinition> parsed = parser.parseDefinition(definitionFile.toString(), bytes);
        List<Diagnostic> errors = parsed.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (parsed.model().isEmpty() || !errors.isEmpty()) {
            throw new PackageException(definitionFile.toString(), "has " + errors.size() + " error(s), so it cannot be packed:\n"
                    + String.join("\n", errors.stream().map(Diagnostic::format).toList()), "correct the service definition", null, errors);
        }
        PackageBuilder builder = new PackageBuilder(definitionFile, bytes, parsed.model().get());
        builder.definitionWarnings.addAll(parsed.diagnostics().stream().filter(d -> !d.isError()).toList());
        return builder;
    }

    /** The definition being packed. */
    public ServiceDefinition definition() {
        return definition;
    }

    /** {@code --role NAME=DIR}: the role's {@code approot}. */
    public PackageBuilder role(String roleName, Path directory) {
        if (roleDirectories.putIfAbsent(roleName, directory) != null) {
            throw new IllegalArgumentException("role '" + roleName + "' is given twice");
        }
        return this;
    }

    /**
     * A role already laid out as in a package: {@code root/approot/...} and {@code root/sitesroot/<n>/...} are taken
     * as they are (a role of a {@code .csx} directory, or of an imported CSPack package). The definition's
     * {@code Contents} and {@code physicalDirectory} are not consulted for it: they were applied when the layout was
     * made, and following them from a foreign layout could read anywhere on the host. Other entries of {@code root}
     * (the SDK's {@code base/}, {@code RoleModel.xml}) are not packed.
     */
    PackageBuilder laidOutRole(String roleName, Path root) {
        if (roleDirectories.containsKey(roleName) || laidOutRoles.putIfAbsent(roleName, root) != null) {
            throw new IllegalArgumentException("role '" + roleName + "' is given twice");
        }
        return this;
    }

    /** {@code --sites ROLE;VPATH;DIR}. */
    public PackageBuilder site(SiteContent site) {
        sites.add(site);
        return this;
    }

    public PackageBuilder createdBy(String tool) {
        this.createdBy = Objects.requireNonNull(tool, "tool");
        return this;
    }

    public PackageBuilder limits(PackageLimits packageLimits) {
        this.limits = Objects.requireNonNull(packageLimits, "packageLimits");
        return this;
    }

    /**
     * Writes the package to {@code output} (replacing it atomically if it exists).
     *
     * @throws PackageException a role that is not in the definition, a missing directory, a link inside content, a
     *                          file given twice, a package over the limits
     */
    public BuildResult build(Path output) throws PackageException, IOException {
        List<Diagnostic> warnings = new ArrayList<>(definitionWarnings);
        checkArguments();
        Map<String, ContentCollector> content = new LinkedHashMap<>();
        long plannedBytes = definitionBytes.length;
        int plannedEntries = 2;
        for (RoleDefinition role : definition.roles()) {
            ContentCollector collector = collect(role, warnings);
            content.put(role.name(), collector);
            if (collector.files().isEmpty()) {
                warnings.add(warning(role.location(), "PKG001", "role '" + role.name() + "' has no content: its approot will be empty",
                        "give --role " + role.name() + "=DIR if the role needs files"));
            }
            plannedEntries += collector.files().size();
            for (ContentSource s : collector.files().values()) {
                plannedBytes += Files.size(s.file());
            }
        }
        if (plannedEntries > limits.maxEntries()) {
            throw new PackageException(definitionFile.toString(), "the package would hold " + plannedEntries
                    + " entries, more than the limit of " + limits.maxEntries(), "remove files from the content directories");
        }
        checkTotal(plannedBytes);

        Path absoluteOutput = output.toAbsolutePath();
        Path parent = absoluteOutput.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + absoluteOutput.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            PackageManifest manifest = writeZip(temp, content);
            readableByAll(temp); // a temp file is private (0600); a package is an ordinary file
            move(temp, absoluteOutput);
            done = true;
            return new BuildResult(absoluteOutput, Files.size(absoluteOutput), manifest, warnings);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private void checkArguments() throws PackageException {
        for (String role : roleDirectories.keySet()) {
            if (definition.role(role).isEmpty()) {
                throw unknownRole(role, "--role");
            }
        }
        for (String role : laidOutRoles.keySet()) {
            if (definition.role(role).isEmpty()) {
                throw unknownRole(role, "roles/" + role);
            }
        }
        for (SiteContent site : sites) {
            RoleDefinition role = definition.role(site.role()).orElseThrow(() -> unknownRole(site.role(), "--sites"));
            if (role.sites().isEmpty()) {
                throw new PackageException(definitionFile.toString(), "role '" + role.name() + "' declares no <Site>, so --sites "
                        + site.role() + ";" + site.virtualPath() + " has nowhere to go", "put the site content in --role " + role.name() + "=DIR instead");
            }
            String siteName = firstSegment(site.virtualPath());
            if (siteIndex(role, siteName) < 0) {
                throw new PackageException(definitionFile.toString(), "role '" + role.name() + "' has no site named '" + siteName
                        + "' (--sites " + site.role() + ";" + site.virtualPath() + ")", "use one of: "
                        + String.join(", ", role.sites().stream().map(Site::name).toList()));
            }
        }
    }

    private PackageException unknownRole(String role, String option) {
        return new PackageException(definitionFile.toString(), "the definition has no role named '" + role + "' (" + option + ")",
                "use one of: " + String.join(", ", definition.roles().stream().map(RoleDefinition::name).toList()));
    }

    private ContentCollector collect(RoleDefinition role, List<Diagnostic> warnings) throws PackageException, IOException {
        ContentCollector collector = new ContentCollector(role.name(), limits);
        Path laidOut = laidOutRoles.get(role.name());
        if (laidOut != null) {
            collectLaidOut(role, laidOut, collector);
            return collector;
        }
        Path dir = roleDirectories.get(role.name());
        if (dir != null) {
            collector.addDirectory(dir, PackageFormat.APPROOT, "--role " + role.name() + "=" + dir);
        }
        for (ContentMapping mapping : role.contents()) {
            String destination = normalizeDestination(mapping);
            Path source = relativeToDefinition(mapping.sourceDirectory());
            collector.addDirectory(source, destination.isEmpty() ? PackageFormat.APPROOT : PackageFormat.APPROOT + "/" + destination,
                    "Contents/Content at " + at(mapping.location()));
        }
        for (int i = 0; i < role.sites().size(); i++) {
            collectSite(role, i, collector, warnings);
        }
        return collector;
    }

    private static void collectLaidOut(RoleDefinition role, Path root, ContentCollector collector) throws PackageException, IOException {
        String origin = "the laid-out role " + role.name() + " at " + root;
        Path approot = root.resolve(PackageFormat.APPROOT);
        Path sitesroot = root.resolve(PackageFormat.SITESROOT);
        for (Path p : List.of(root, approot, sitesroot)) {
            if (Files.isSymbolicLink(p)) {
                throw new PackageException(p.toString(), "is a symbolic link; csemu follows no links in a package layout, because a"
                        + " link can point anywhere on the host", "replace the link with the directory it points to");
            }
        }
        if (Files.isDirectory(approot, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            collector.addDirectory(approot, PackageFormat.APPROOT, origin);
        }
        if (Files.isDirectory(sitesroot, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            List<Path> sites = new ArrayList<>();
            try (var listing = Files.newDirectoryStream(sitesroot)) {
                listing.forEach(sites::add);
            }
            for (Path site : sites) {
                String name = PackageFormat.SITESROOT + "/" + site.getFileName();
                if (!Files.isDirectory(site, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || PackagePaths.roleFileProblem(name + "/x", 1024).isPresent()) {
                    throw new PackageException(site.toString(), "is not a site directory (sitesroot holds one directory per site,"
                            + " named by the site's index: 0, 1, ...)", "remove it from " + sitesroot);
                }
                collector.addDirectory(site, name, origin);
            }
        }
    }

    private void collectSite(RoleDefinition role, int index, ContentCollector collector, List<Diagnostic> warnings)
            throws PackageException, IOException {
        Site site = role.sites().get(index);
        // virtual path inside the site, lower-cased ("" = the site itself) -> where its content comes from
        Map<String, SiteMapping> mappings = new LinkedHashMap<>();
        if (site.physicalDirectory() != null) {
            mappings.put("", new SiteMapping("", relativeToDefinition(site.physicalDirectory()), "physicalDirectory of site '" + site.name() + "'"));
        }
        addVirtualPaths(site.children(), "", mappings);
        for (SiteContent given : sites) {
            if (given.role().equals(role.name()) && firstSegment(given.virtualPath()).equalsIgnoreCase(site.name())) {
                String rest = restSegments(given.virtualPath());
                mappings.put(rest.toLowerCase(Locale.ROOT), new SiteMapping(rest, given.directory(),
                        "--sites " + given.role() + ";" + given.virtualPath() + ";" + given.directory()));
            }
        }
        String prefix = PackageFormat.SITESROOT + "/" + index;
        int before = collector.files().size();
        for (SiteMapping m : mappings.values()) {
            collector.addDirectory(m.directory(), m.rest().isEmpty() ? prefix : prefix + "/" + m.rest(), m.origin());
        }
        if (collector.files().size() == before) {
            warnings.add(warning(site.location(), "PKG002", "site '" + site.name() + "' of role '" + role.name()
                    + "' has no content: " + prefix + " will be empty", "give --sites " + role.name() + ";" + site.name() + ";DIR"));
        }
    }

    private void addVirtualPaths(List<VirtualPath> children, String parent, Map<String, SiteMapping> mappings) throws PackageException {
        for (VirtualPath vp : children) {
            String path = parent.isEmpty() ? vp.name() : parent + "/" + vp.name();
            if (PackagePaths.problem(path, limits.maxPathLength()).isPresent()) {
                throw new PackageException(definitionFile.toString(), "virtual path '" + path + "' at " + at(vp.location())
                        + " cannot be a directory in the package", "rename the virtual directory");
            }
            if (vp.physicalDirectory() != null) {
                mappings.put(path.toLowerCase(Locale.ROOT), new SiteMapping(path, relativeToDefinition(vp.physicalDirectory()),
                        "physicalDirectory of virtual path '" + path + "'"));
            }
            addVirtualPaths(vp.children(), path, mappings);
        }
    }

    private String normalizeDestination(ContentMapping mapping) throws PackageException {
        String d = mapping.destination() == null ? "" : mapping.destination().replace('\\', '/');
        while (d.startsWith("/")) {
            d = d.substring(1);
        }
        while (d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.equals(".")) {
            d = "";
        }
        if (!d.isEmpty()) {
            var problem = PackagePaths.problem(d, limits.maxPathLength());
            if (problem.isPresent()) {
                throw new PackageException(definitionFile.toString(), "Content@destination '" + mapping.destination() + "' at "
                        + at(mapping.location()) + " is not a path inside approot: " + problem.get(), "give a relative path without '..'");
            }
        }
        return d;
    }

    private Path relativeToDefinition(String path) {
        Path base = definitionFile.toAbsolutePath().getParent();
        return base.resolve(path.replace('\\', '/')).normalize();
    }

    private PackageManifest writeZip(Path temp, Map<String, ContentCollector> content) throws IOException, PackageException {
        long[] total = {0};
        try (OutputStream fileOut = Files.newOutputStream(temp);
             ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(fileOut, 1 << 16))) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            putEntry(zip, PackageFormat.DEFINITION_ENTRY);
            zip.write(definitionBytes);
            zip.closeEntry();
            total[0] += definitionBytes.length;
            PackageFile definitionEntry = new PackageFile(PackageFormat.DEFINITION_ENTRY, definitionBytes.length,
                    Hashing.sha256Hex(definitionBytes), false);
            List<RoleLayout> roles = new ArrayList<>();
            byte[] buffer = new byte[1 << 16];
            for (Map.Entry<String, ContentCollector> role : content.entrySet()) {
                List<PackageFile> files = new ArrayList<>();
                for (Map.Entry<String, ContentSource> f : role.getValue().files().entrySet()) {
                    putEntry(zip, PackageFormat.roleEntry(role.getKey(), f.getKey()));
                    MessageDigest sha = Hashing.sha256();
                    long size = 0;
                    try (InputStream in = Files.newInputStream(f.getValue().file())) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            zip.write(buffer, 0, n);
                            sha.update(buffer, 0, n);
                            size += n;
                            total[0] += n;
                            checkTotal(total[0]);
                        }
                    }
                    zip.closeEntry();
                    files.add(new PackageFile(f.getKey(), size, Hashing.hex(sha.digest()), ContentCollector.isExecutable(f.getValue().file())));
                }
                roles.add(new RoleLayout(role.getKey(), files));
            }
            PackageManifest manifest = new PackageManifest(PackageFormat.FORMAT_VERSION, createdBy, definition.name(), definitionEntry, roles);
            putEntry(zip, PackageFormat.MANIFEST_ENTRY);
            zip.write(ManifestXml.write(manifest));
            zip.closeEntry();
            zip.finish();
            return manifest;
        }
    }

    private void checkTotal(long bytes) throws PackageException {
        if (bytes > limits.maxUnpackedBytes()) {
            throw new PackageException(definitionFile.toString(), "the package content exceeds " + limits.maxUnpackedBytes()
                    + " bytes unpacked (the cloud's limit is 600 MB)", "remove files from the content directories");
        }
    }

    private static void putEntry(ZipOutputStream zip, String name) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(PackageFormat.ENTRY_TIME);
        e.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(e);
    }

    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions apply
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Diagnostic warning(SourceLocation loc, String code, String message, String fix) {
        SourceLocation l = loc == null ? SourceLocation.UNKNOWN : loc;
        return new Diagnostic(definitionFile.toString(), l.line(), l.column(), Severity.WARNING, code, message, fix);
    }

    private static String at(SourceLocation loc) {
        return loc == null ? "?" : loc.line() + ":" + loc.column();
    }

    private static int siteIndex(RoleDefinition role, String siteName) {
        for (int i = 0; i < role.sites().size(); i++) {
            if (role.sites().get(i).name().equalsIgnoreCase(siteName)) {
                return i;
            }
        }
        return -1;
    }

    private static String firstSegment(String virtualPath) {
        String v = trimSlashes(virtualPath);
        int slash = v.indexOf('/');
        return slash < 0 ? v : v.substring(0, slash);
    }

    private static String restSegments(String virtualPath) {
        String v = trimSlashes(virtualPath);
        int slash = v.indexOf('/');
        return slash < 0 ? "" : trimSlashes(v.substring(slash + 1));
    }

    private static String trimSlashes(String s) {
        String v = s.replace('\\', '/');
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    /** Content for a virtual path of a site ({@code rest} is relative to the site, "" for the site itself). */
    private record SiteMapping(String rest, Path directory, String origin) {
    }
}
