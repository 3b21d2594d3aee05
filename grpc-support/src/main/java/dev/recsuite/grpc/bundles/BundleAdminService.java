package dev.recsuite.grpc.bundles;

import dev.recsuite.admin.v1.AdminServiceGrpc;
import dev.recsuite.admin.v1.ReloadBundlesRequest;
import dev.recsuite.admin.v1.ReloadBundlesResponse;
import dev.recsuite.grpc.security.Caller;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dev.recsuite.admin.v1.AdminService} for a tier that serves bundles: {@code ReloadBundles}
 * checks the bundle directory now ({@link BundleWatcher#check()}) instead of waiting for the next
 * poll, and answers the versions loaded. Register it as an admin service, so that only {@code
 * --admin-clients} may call it:
 *
 * <pre>{@code
 * GrpcServer.builder(SERVICE_NAME, settings)
 *     .addService(recall)
 *     .addAdminService(new BundleAdminService(SERVICE_NAME, watcher))
 *     .build();
 * }</pre>
 */
public final class BundleAdminService extends AdminServiceGrpc.AdminServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(BundleAdminService.class);

  private final String service;
  private final BundleWatcher<?> watcher;

  /**
   * @param service the tier's name, for logs
   * @param watcher the tier's bundle watcher
   */
  public BundleAdminService(String service, BundleWatcher<?> watcher) {
    this.service = Objects.requireNonNull(service, "service");
    this.watcher = Objects.requireNonNull(watcher, "watcher");
  }

  @Override
  public void reloadBundles(ReloadBundlesRequest request, StreamObserver<ReloadBundlesResponse> response) {
    String caller = Caller.current().map(Caller::name).orElse(Caller.ANONYMOUS);
    BundleWatcher.Check check = watcher.check();
    List<String> versions = check.versions();
    log.info(
        "{}: ReloadBundles by {}: {}serving {}{}",
        service,
        caller,
        check.loadedNewVersion() ? "loaded a new version; " : "",
        versions,
        check.failedVersion().isEmpty() ? "" : "; " + check.failedVersion() + " failed to load");
    response.onNext(
        ReloadBundlesResponse.newBuilder()
            .addAllVersions(versions)
            .setNewestVersion(versions.isEmpty() ? "" : versions.getLast())
            .setLoadedNewVersion(check.loadedNewVersion())
            .setFailedVersion(check.failedVersion())
            .setFailureMessage(check.failureMessage())
            .build());
    response.onCompleted();
  }
}
