package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes packages laid out the way the Azure SDK's CSPack writes them, written here from the published descriptions
 * (no SDK output is copied): the current format (OPC zip, {@code package.xml} with {@code PackageContents} and
 * {@code PackageLayouts}, {@code LocalContent/<id>} blobs, {@code NamedStreams}, {@code _rels/.rels},
 * {@code [Content_Types].xml}) and the older one ({@code .csman} plus one {@code .cssx} zip per role). Every part can
 * be bent for the hostile tests: the {@code package.xml} text, any extra raw entry, a blob's listed length or hash.
 */
final class CspackZips {

    static final String WEB_CSDEF = """
            <?xml version="1.0" encoding="utf-8"?>
            <ServiceDefinition name="shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
              <WebRole name="Web" vmsize="Small">
                <Sites>
                  <Site name="Main">
                    <Bindings><Binding name="http" endpointName="Http"/></Bindings>
                  </Site>
                </Sites>
                <Endpoints><InputEndpoint name="Http" protocol="http" port="80"/></Endpoints>
              </WebRole>
              <WorkerRole name="Worker" vmsize="Small">
                <Runtime><EntryPoint><ProgramEntryPoint commandLine="sh run.sh" setReadyOnProcessStart="true"/></EntryPoint></Runtime>
              </WorkerRole>
            </ServiceDefinition>
            """;

    /** A blob of {@code PackageContents}. */
    record Blob(String name, byte[] data, String algorithm, String hash, long listedLength, int unixMode) {
    }

    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private final Map<String, List<String[]>> layouts = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final HostileZips extra = new HostileZips();
    private UnaryOperator<String> packageXmlEdit = UnaryOperator.identity();
    private int next;

    static CspackZips current(String csdef) {
        CspackZips z = new CspackZips();
        z.metadata.put("http://schemas.microsoft.com/windowsazure/ProductVersion/", "2.9.8899.26");
        z.blob(CspackLayout.DEFINITION_CONTENT, csdef.getBytes(StandardCharsets.UTF_8), 0);
        z.blob("NamedStreams/SupportData/Web/1.0", "<SupportData version=\"1.0\"/>".getBytes(StandardCharsets.UTF_8), 0);
        return z;
    }

    /** A typical two-role package: site and approot files, the SDK's Windows host, a blob shared by two files. */
    static CspackZips typical() {
        return current(WEB_CSDEF)
                .file("Web", "\\sitesroot\\0\\index.html", "<h1>shop</h1>")
                .file("Web", "\\approot\\bin\\Web.dll", "MZ not really")
                .file("Web", "\\base\\x64\\WaHostBootstrapper.exe", "MZ host")
                .file("Web", "\\RoleModel.xml", "<RoleModel name=\"Web\"/>")
                .file("Worker", "\\approot\\run.sh", "echo worker\n")
                .file("Worker", "\\approot\\README.txt", "<h1>shop</h1>");
    }

    /** Adds a file of a role, its content in a blob of its own (or the existing blob with the same bytes). */
    CspackZips file(String role, String filePath, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        String name = blobs.values().stream().filter(b -> java.util.Arrays.equals(b.data(), data) && b.name().startsWith("LocalContent/"))
                .map(Blob::name).findFirst().orElseGet(() -> blob("LocalContent/" + String.format("%032x", ++next), data, 0));
        return reference(role, filePath, name);
    }

    /** A file of a role pointing at any blob name (an existing one, or one that does not exist). */
    CspackZips reference(String role, String filePath, String blobName) {
        layouts.computeIfAbsent(role, r -> new ArrayList<>()).add(new String[] {filePath, blobName});
        return this;
    }

    String blob(String name, byte[] data, int unixMode) {
        blobs.put(name, new Blob(name, data, "Sha256", sha256Base64(data), data.length, unixMode));
        return name;
    }

    /** Replaces a blob's description (listed length, algorithm, hash) keeping its bytes. */
    CspackZips describe(String name, String algorithm, String hash, long listedLength) {
        Blob b = blobs.get(name);
        blobs.put(name, new Blob(name, b.data(), algorithm, hash, listedLength, b.unixMode()));
        return this;
    }

    /** Replaces a blob's bytes, keeping its description (a tampered blob). */
    CspackZips tamper(String name, String newContent) {
        Blob b = blobs.get(name);
        blobs.put(name, new Blob(name, newContent.getBytes(StandardCharsets.UTF_8), b.algorithm(), b.hash(), b.listedLength(), b.unixMode()));
        return this;
    }

    CspackZips metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    CspackZips editPackageXml(UnaryOperator<String> edit) {
        packageXmlEdit = edit;
        return this;
    }

    /** Raw entries written after the package's own (symbolic links, bombs, anything). */
    HostileZips extra() {
        return extra;
    }

    /** The name of the blob a role file refers to. */
    String blobOf(String role, String filePath) {
        return layouts.get(role).stream().filter(f -> f[0].equals(filePath)).findFirst().orElseThrow()[1];
    }

    String packageXml() {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PackageDefinition xmlns=\"")
                .append(CspackLayout.NAMESPACE).append("\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <PackageMetaData>\n");
        metadata.forEach((k, v) -> x.append("    <KeyValuePair><Key>").append(k).append("</Key><Value>").append(v)
                .append("</Value></KeyValuePair>\n"));
        x.append("  </PackageMetaData>\n  <PackageContents>\n");
        for (Blob b : blobs.values()) {
            x.append("    <ContentDefinition><Name>").append(b.name()).append("</Name><ContentDescription>")
                    .append("<LengthInBytes>").append(b.listedLength()).append("</LengthInBytes>")
                    .append("<IntegrityCheckHashAlgortihm>").append(b.algorithm()).append("</IntegrityCheckHashAlgortihm>")
                    .append(b.hash() == null ? "<IntegrityCheckHash i:nil=\"true\"/>" : "<IntegrityCheckHash>" + b.hash() + "</IntegrityCheckHash>")
                    .append("<DataStorePath>").append(b.name()).append("</DataStorePath></ContentDescription></ContentDefinition>\n");
        }
        x.append("  </PackageContents>\n  <PackageLayouts>\n");
        layouts.forEach((role, files) -> {
            x.append("    <LayoutDefinition><Name>Roles/").append(role).append("</Name><LayoutDescription>\n");
            for (String[] f : files) {
                x.append("      <FileDefinition><FilePath>").append(f[0]).append("</FilePath><FileDescription><DataContentReference>")
                        .append(f[1]).append("</DataContentReference><CreatedTimeUtc>2016-05-04T10:00:00Z</CreatedTimeUtc>")
                        .append("<ModifiedTimeUtc>2016-05-04T10:00:00Z</ModifiedTimeUtc><ReadOnly>false</ReadOnly></FileDescription></FileDefinition>\n");
            }
            x.append("    </LayoutDescription></LayoutDefinition>\n");
        });
        return packageXmlEdit.apply(x.append("  </PackageLayouts>\n</PackageDefinition>\n").toString());
    }

    void write(Path out) throws IOException {
        HostileZips zip = new HostileZips();
        zip.file("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"xml\" ContentType=\"application/octet-stream\"/></Types>");
        zip.file("_rels/.rels", "<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Type=\"" + CspackLayout.PACKAGE_DEFINITION_RELATIONSHIP + "\" Target=\"/package.xml\" Id=\"R1\"/></Relationships>");
        zip.file("package.xml", packageXml());
        for (Blob b : blobs.values()) {
            zip.bytes(b.name(), b.data(), b.unixMode());
        }
        zip.append(extra);
        zip.write(out);
    }

    // --- the older format ---

    /** An older-format package: the definition, a {@code .csman} (hashes of the given parts) and the given parts. */
    static HostileZips legacy(String csdef, Map<String, byte[]> cssx, boolean withManifest, Map<String, String> hashOverrides) {
        HostileZips zip = new HostileZips().file(CsxDirectory.DEFINITION, csdef);
        if (withManifest) {
            StringBuilder csman = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<PackageManifest><Contents>\n");
            cssx.forEach((name, data) -> csman.append("  <Item name=\"").append(name).append("\" hash=\"")
                    .append(hashOverrides.getOrDefault(name, HexFormat.of().withUpperCase().formatHex(sha256(data)))).append("\"/>\n"));
            zip.file("shop.csman", csman.append("</Contents></PackageManifest>\n").toString());
        }
        cssx.forEach((name, data) -> zip.bytes(name, data, 0));
        return zip;
    }

    /** A role's {@code .cssx}: {@code RoleModel.xml} naming the role (when {@code role} is not null) plus files. */
    static byte[] cssx(String role, String... pathsAndContents) throws IOException {
        HostileZips inner = new HostileZips();
        if (role != null) {
            inner.file("RoleModel.xml", "<?xml version=\"1.0\"?><RoleModel xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\" name=\""
                    + role + "\"/>");
        }
        inner.file("base/x64/WaHostBootstrapper.exe", "MZ");
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            inner.file(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return inner.toBytes();
    }

    static String sha256Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(sha256(data));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
