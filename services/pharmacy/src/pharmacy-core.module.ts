import { type DynamicModule, Logger, Module, type ModuleMetadata } from '@nestjs/common';
import { AmqpRpcClient, Outbox, PiiCipher, VerificationCodeHmac } from '@prescriptchain/messaging';
import { OperatorLinkedConsumer } from './adapters/inbound/amqp/operator-linked.consumer';
import { OrderEventsConsumer } from './adapters/inbound/amqp/order-events.consumer';
import { DirectoryController } from './adapters/inbound/rpc/directory.controller';
import { FulfillmentController } from './adapters/inbound/rpc/fulfillment.controller';
import { InventoryController } from './adapters/inbound/rpc/inventory.controller';
import { PharmacyBackground } from './adapters/inbound/scheduler/pharmacy-background';
import { LocalDiskFileStorage } from './adapters/outbound/files/local-disk-file.storage';
import { ManualCoordinatesGeocoder } from './adapters/outbound/mapbox/manual-coordinates.geocoder';
import { MapboxGeocoder } from './adapters/outbound/mapbox/mapbox.geocoder';
import { RpcCataloguePrices } from './adapters/outbound/orders/rpc-catalogue-prices.client';
import { RpcCredentialKeyDirectory } from './adapters/outbound/orders/rpc-credential-key-directory.client';
import { RpcOrderFulfillment } from './adapters/outbound/orders/rpc-order-fulfillment.client';
import {
  PharmacyPrismaModule,
  PharmacyPrismaService,
} from './adapters/outbound/prisma/pharmacy-prisma.service';
import { PrismaPharmacyStore } from './adapters/outbound/prisma/prisma-pharmacy.store';
import { SupabaseFileStorage } from './adapters/outbound/supabase/supabase-file.storage';
import { ClaimOrderHandler } from './application/claims/claim-order/claim-order.handler';
import { ListClaimsHandler } from './application/claims/list-claims/list-claims.handler';
import { ReleaseClaimHandler } from './application/claims/release-claim/release-claim.handler';
import { Clock } from './application/clock';
import { CreatePharmacyHandler } from './application/directory/create-pharmacy/create-pharmacy.handler';
import { GetPharmacyHandler } from './application/directory/get-pharmacy/get-pharmacy.handler';
import { LinkOperatorHandler } from './application/directory/link-operator/link-operator.handler';
import { ListPharmaciesHandler } from './application/directory/list-pharmacies/list-pharmacies.handler';
import { UpdatePharmacyHandler } from './application/directory/update-pharmacy/update-pharmacy.handler';
import { ConfirmFileHandler } from './application/files/confirm-file/confirm-file.handler';
import { CreateUploadUrlHandler } from './application/files/create-upload-url/create-upload-url.handler';
import { FileUrlSigner } from './application/files/file-url-signer';
import { ReceiveUploadHandler } from './application/files/receive-upload/receive-upload.handler';
import { CheckUploadHandler } from './application/files/check-upload/check-upload.handler';
import { UploadsController } from './adapters/inbound/rpc/uploads.controller';
import { ServeDownloadHandler } from './application/files/serve-download/serve-download.handler';
import { GetInventoryHandler } from './application/inventory/get-inventory/get-inventory.handler';
import { ReplaceInventoryHandler } from './application/inventory/replace-inventory/replace-inventory.handler';
import { FindNearbyPharmaciesHandler } from './application/nearby/find-nearby-pharmacies/find-nearby-pharmacies.handler';
import { RecordCredentialKeyHandler } from './application/order-view/record-credential-key/record-credential-key.handler';
import { RecordOrderStatusHandler } from './application/order-view/record-order-status/record-order-status.handler';
import { RecordPaidOrderHandler } from './application/order-view/record-paid-order/record-paid-order.handler';
import { PharmacyConfig } from './application/pharmacy-config';
import { FileStorage } from './application/ports/file-storage';
import { Geocoder } from './application/ports/geocoder';
import { CataloguePrices } from './application/ports/catalogue-prices';
import { CredentialKeyDirectory } from './application/ports/credential-key-directory';
import { OrderFulfillment } from './application/ports/order-fulfillment';
import { PharmacyStore } from './application/ports/pharmacy-store';
import { ListProofsHandler } from './application/proofs/list-proofs/list-proofs.handler';
import { ProofClaims } from './application/proofs/proof-claims';
import { ResolveStaleClaimsHandler } from './application/proofs/resolve-stale-claims/resolve-stale-claims.handler';
import { ReviewProofHandler } from './application/proofs/review-proof/review-proof.handler';
import { SubmitProofHandler } from './application/proofs/submit-proof/submit-proof.handler';
import { CredentialCheck } from './application/scan/credential-check';
import { CredentialKeySync } from './application/scan/credential-key-sync';
import { CredentialVerifier } from './application/scan/credential-verifier';
import { ScanCredentialHandler } from './application/scan/scan-credential/scan-credential.handler';

export const PHARMACY_HANDLERS = [
  CreatePharmacyHandler,
  UpdatePharmacyHandler,
  ListPharmaciesHandler,
  GetPharmacyHandler,
  LinkOperatorHandler,
  ReplaceInventoryHandler,
  GetInventoryHandler,
  FindNearbyPharmaciesHandler,
  RecordPaidOrderHandler,
  RecordOrderStatusHandler,
  RecordCredentialKeyHandler,
  ScanCredentialHandler,
  ClaimOrderHandler,
  ReleaseClaimHandler,
  ListClaimsHandler,
  CreateUploadUrlHandler,
  ReceiveUploadHandler,
  CheckUploadHandler,
  ServeDownloadHandler,
  ConfirmFileHandler,
  SubmitProofHandler,
  ResolveStaleClaimsHandler,
  ListProofsHandler,
  ReviewProofHandler,
];

export interface PharmacyCoreOptions {
  /** Modules providing Outbox (MessagingModule.forService(...)), unless it is global already. */
  imports?: ModuleMetadata['imports'];
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides of the environment-derived configuration (tests). */
  config?: Partial<PharmacyConfig>;
  /** A fixed or movable clock (tests). */
  clock?: Clock;
}

/**
 * Pharmacy's use cases, RPC controllers, event consumers and adapters. The adapters are chosen
 * here from the configuration: Mapbox geocoding when MAPBOX_ACCESS_TOKEN is set (else admins give
 * coordinates), Supabase Storage when SUPABASE_URL + key are set (else local disk).
 */
@Module({})
export class PharmacyCoreModule {
  static forRoot(options: PharmacyCoreOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const config = PharmacyConfig.fromEnv(env, options.config);
    const logger = new Logger('Pharmacy');
    if (config.filesUrlSecretIsDevelopment && !config.supabase) {
      logger.warn('FILES_URL_SECRET is not set: file URLs are signed with the built-in development secret.');
    }
    return {
      module: PharmacyCoreModule,
      imports: [PharmacyPrismaModule.forRoot(config.databaseUrl), ...(options.imports ?? [])],
      controllers: [
        DirectoryController,
        InventoryController,
        FulfillmentController,
        UploadsController,
        OrderEventsConsumer,
        OperatorLinkedConsumer,
      ],
      providers: [
        { provide: PharmacyConfig, useValue: config },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        { provide: PiiCipher, useFactory: () => PiiCipher.fromEnv(env, (m) => logger.warn(m)) },
        {
          provide: VerificationCodeHmac,
          useFactory: () => VerificationCodeHmac.fromEnv(env, (m) => logger.warn(m)),
        },
        { provide: FileUrlSigner, useFactory: () => new FileUrlSigner(config.filesUrlSecret) },
        {
          provide: PharmacyStore,
          useFactory: (prisma: PharmacyPrismaService, outbox: Outbox, cipher: PiiCipher) =>
            new PrismaPharmacyStore(prisma, outbox, cipher),
          inject: [PharmacyPrismaService, Outbox, PiiCipher],
        },
        {
          provide: Geocoder,
          useFactory: () =>
            config.mapbox ? new MapboxGeocoder(config.mapbox) : new ManualCoordinatesGeocoder(),
        },
        {
          provide: FileStorage,
          useFactory: (signer: FileUrlSigner, clock: Clock) =>
            config.supabase
              ? new SupabaseFileStorage(config.supabase)
              : new LocalDiskFileStorage(
                  { dir: config.filesDir, urlPrefix: config.filesUrlPrefix },
                  signer,
                  clock,
                ),
          inject: [FileUrlSigner, Clock],
        },
        {
          provide: AmqpRpcClient,
          useFactory: () => new AmqpRpcClient({ url: config.amqpUrl, name: 'pharmacy' }),
        },
        {
          provide: OrderFulfillment,
          useFactory: (rpc: AmqpRpcClient) => new RpcOrderFulfillment(rpc, config.ordersRpcDeadlineMs),
          inject: [AmqpRpcClient],
        },
        {
          provide: CataloguePrices,
          useFactory: (rpc: AmqpRpcClient) => new RpcCataloguePrices(rpc, config.ordersRpcDeadlineMs),
          inject: [AmqpRpcClient],
        },
        {
          provide: CredentialKeyDirectory,
          useFactory: (rpc: AmqpRpcClient) => new RpcCredentialKeyDirectory(rpc, config.ordersRpcDeadlineMs),
          inject: [AmqpRpcClient],
        },
        CredentialKeySync,
        CredentialVerifier,
        CredentialCheck,
        ProofClaims,
        PharmacyBackground,
        ...PHARMACY_HANDLERS,
      ],
      exports: [PharmacyConfig, PharmacyStore, PharmacyBackground, ...PHARMACY_HANDLERS],
    };
  }
}
