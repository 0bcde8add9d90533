package org.csemu.core.validate;

/** Which files a rule needs: the definition alone, the configuration alone, or both. */
enum RuleScope {
    /** {@code CSDEF1nn}: runs in {@link ServiceModelValidator#validateDefinition} too. */
    DEFINITION("CSDEF"),
    /** {@code CSCFG1nn}. */
    CONFIGURATION("CSCFG"),
    /** {@code SVC1nn}: cross-file rules. */
    SERVICE("SVC");

    private final String codePrefix;

    RuleScope(String codePrefix) {
        this.codePrefix = codePrefix;
    }

    String codePrefix() {
        return codePrefix;
    }
}
