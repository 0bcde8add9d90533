package org.csemu.fabric.host;

import java.util.Objects;

/**
 * One line of the doctor's report: what was checked, what was found and, for a failure, the command that fixes it.
 *
 * @param id     stable identifier (JSON consumers and tests key on it)
 * @param title  what was checked, for people
 * @param status the outcome
 * @param detail what was found
 * @param fix    what to do about a failure; empty otherwise
 */
public record CheckResult(String id, String title, CheckStatus status, String detail, String fix) {

    public CheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    public static CheckResult ok(String id, String title, String detail) {
        return new CheckResult(id, title, CheckStatus.OK, detail, "");
    }

    public static CheckResult info(String id, String title, String detail) {
        return new CheckResult(id, title, CheckStatus.INFO, detail, "");
    }

    public static CheckResult fail(String id, String title, String detail, String fix) {
        return new CheckResult(id, title, CheckStatus.FAIL, detail, fix);
    }

    public boolean failed() {
        return status == CheckStatus.FAIL;
    }
}
