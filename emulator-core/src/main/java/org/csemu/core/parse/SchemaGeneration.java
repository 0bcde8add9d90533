package org.csemu.core.parse;

import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.jaxb.core.Locatable;

/**
 * The schema generation a file declares with {@code schemaVersion} ("2014-06.2.4": the SDK's schema of June 2014),
 * and the check that it knows what the file uses. The XSDs accept the newest generation; an element or attribute
 * that only a newer generation than the file's own knows is reported as such ({@link SchemaRule#NEWER_SCHEMA_VERSION}),
 * with the version it needs, instead of as a typo. A file without a schemaVersion, or with {@code unspecified} or a
 * value that is not of the SDK's form, is not held to any generation (as the cloud does).
 */
final class SchemaGeneration {

    /** PublicIP@domainNameLabel (instance-level public IP names): schema 2014-01.2.3. */
    static final Since PUBLIC_IP_DNS_LABEL = new Since(YearMonth.of(2014, 1), "2014-01.2.3");
    /** AddressAssignments/VirtualIPs and ReservedIP@virtualIpName (several VIPs per service): schema 2015-04.2.6. */
    static final Since MULTIPLE_VIPS = new Since(YearMonth.of(2015, 4), "2015-04.2.6");

    /** The first generation that knows a feature, and the schemaVersion value the SDK writes for it. */
    record Since(YearMonth generation, String schemaVersion) {
    }

    private static final Pattern FORM = Pattern.compile("^(\\d{4})-(\\d{2})(?:\\..*)?$");

    private final MappingContext context;
    private final String declared;
    private final Optional<YearMonth> generation;
    private final String root;

    SchemaGeneration(MappingContext context, String schemaVersion, String root) {
        this.context = context;
        this.declared = schemaVersion == null ? null : schemaVersion.trim();
        this.generation = of(declared);
        this.root = root;
    }

    static Optional<YearMonth> of(String schemaVersion) {
        Matcher m = schemaVersion == null ? null : FORM.matcher(schemaVersion.trim());
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        int month = Integer.parseInt(m.group(2));
        return month < 1 || month > 12 ? Optional.empty() : Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), month));
    }

    /** Reports {@code what} at {@code element} when the file's generation is older than {@code since}. */
    void require(Locatable element, String what, Since since) {
        if (generation.isPresent() && generation.get().isBefore(since.generation())) {
            context.error(SchemaRule.NEWER_SCHEMA_VERSION, element, what + " needs schemaVersion " + since.schemaVersion()
                    + " or later; this file declares schemaVersion=\"" + declared + "\"",
                    "set schemaVersion=\"" + since.schemaVersion() + "\" (or later) on <" + root + ">, or remove " + what);
        }
    }
}
