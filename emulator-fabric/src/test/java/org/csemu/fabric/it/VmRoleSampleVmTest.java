package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The vm-role sample as a user runs it: a VirtualMachineRole boots the image its configuration names
 * ({@code OsImage@href="csemu-base"}), configures the image through its settings (the image's vm-info service
 * answers on {@code VmInfo.Port}), is served on the VIP, and a reimage brings back the first-boot setup.
 */
@VmTest
class VmRoleSampleVmTest {

    private static final String INSTANCE = "Appliance_IN_0";

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void imageBasedRoleBootsTheNamedImageAndAnswersOnTheVip() throws Exception {
        Fabric fabric = ENV.start();
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/vm-role");
        Fabric.DeploymentCreation created = fabric.createDeployment("vm-role", Slot.PRODUCTION, sample, null);
        String id = created.deploymentId();
        Image image = fabric.images().require(FabricConfig.DEFAULT_IMAGE);
        assertThat(fabric.images().users(image.id())).containsExactly(id);

        FabricChecks.awaitAllReady(fabric, id, BOOT);
        VipEndpoint info = created.endpoints().get(0);
        assertThat(info.endpoint()).isEqualTo("Info");
        String page = FabricChecks.get("127.0.0.1", info.boundPort(), "/index.txt");
        assertThat(page).contains("instance " + INSTANCE, "role Appliance", "setting VmInfo.Port=8000",
                "setting Motd=an image-based role");

        int before = fabric.events(id).size();
        OperationRecord reimage = fabric.perform(id, InstanceOperation.REIMAGE, List.of(INSTANCE));
        assertThat(fabric.await(reimage.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        FabricChecks.awaitState(fabric, id, INSTANCE, InstanceState.READY_ROLE, BOOT);
        // a fresh overlay: the first-boot setup (CreatingRole, then its restart) runs again before Ready
        assertThat(FabricChecks.states(fabric, id, INSTANCE, before))
                .containsSubsequence("CreatingRole", "CreatingRole", "StartingRole", "ReadyRole");
        assertThat(FabricChecks.get("127.0.0.1", info.boundPort(), "/index.txt")).contains("instance " + INSTANCE);

        OperationRecord delete = fabric.deleteDeployment(id);
        assertThat(fabric.await(delete.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
    }
}
