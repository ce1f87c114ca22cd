import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ConfirmFileRequestSchema,
  CreateUploadUrlRequestSchema,
  GetFileRequestSchema,
  ListPharmacyClaimsRequestSchema,
  ListProofsRequestSchema,
  PHARMACY_RPC,
  PharmacyClaimRequestSchema,
  PharmacyReleaseRequestSchema,
  PutFileRequestSchema,
  ReviewProofRequestSchema,
  ScanCredentialRequestSchema,
  SubmitProofRequestSchema,
  parseRequest,
} from '@prescriptchain/contracts';
import { ClaimOrderHandler } from '../../../application/claims/claim-order/claim-order.handler';
import { ListClaimsHandler } from '../../../application/claims/list-claims/list-claims.handler';
import { ReleaseClaimHandler } from '../../../application/claims/release-claim/release-claim.handler';
import { ConfirmFileHandler } from '../../../application/files/confirm-file/confirm-file.handler';
import { CreateUploadUrlHandler } from '../../../application/files/create-upload-url/create-upload-url.handler';
import { ReceiveUploadHandler } from '../../../application/files/receive-upload/receive-upload.handler';
import { ServeDownloadHandler } from '../../../application/files/serve-download/serve-download.handler';
import { ListProofsHandler } from '../../../application/proofs/list-proofs/list-proofs.handler';
import { ReviewProofHandler } from '../../../application/proofs/review-proof/review-proof.handler';
import { SubmitProofHandler } from '../../../application/proofs/submit-proof/submit-proof.handler';
import { ScanCredentialHandler } from '../../../application/scan/scan-credential/scan-credential.handler';

/** Redemption and fulfillment: scanning, claims, files, proofs and their review. */
@Controller()
export class FulfillmentController {
  constructor(
    private readonly scanCredential: ScanCredentialHandler,
    private readonly createUploadUrl: CreateUploadUrlHandler,
    private readonly receiveUpload: ReceiveUploadHandler,
    private readonly serveDownload: ServeDownloadHandler,
    private readonly confirmFile: ConfirmFileHandler,
    private readonly submitProof: SubmitProofHandler,
    private readonly listProofs: ListProofsHandler,
    private readonly reviewProof: ReviewProofHandler,
    private readonly claimOrder: ClaimOrderHandler,
    private readonly releaseClaim: ReleaseClaimHandler,
    private readonly listClaims: ListClaimsHandler,
  ) {}

  @MessagePattern(PHARMACY_RPC.claimOrder)
  claim(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(PharmacyClaimRequestSchema, data);
    return this.claimOrder.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.releaseClaim)
  release(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(PharmacyReleaseRequestSchema, data);
    return this.releaseClaim.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.listClaims)
  claims(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ListPharmacyClaimsRequestSchema, data);
    return this.listClaims.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.scanCredential)
  scan(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ScanCredentialRequestSchema, data);
    return this.scanCredential.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.createUploadUrl)
  uploadUrl(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(CreateUploadUrlRequestSchema, data);
    return this.createUploadUrl.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.putFile)
  put(@Payload() data: unknown) {
    return this.receiveUpload.execute(parseRequest(PutFileRequestSchema, data));
  }

  @MessagePattern(PHARMACY_RPC.getFile)
  get(@Payload() data: unknown) {
    return this.serveDownload.execute(parseRequest(GetFileRequestSchema, data));
  }

  @MessagePattern(PHARMACY_RPC.confirmFile)
  confirm(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ConfirmFileRequestSchema, data);
    return this.confirmFile.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.submitProof)
  submit(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(SubmitProofRequestSchema, data);
    return this.submitProof.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.listProofs)
  list(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ListProofsRequestSchema, data);
    return this.listProofs.execute(caller, input);
  }

  @MessagePattern(PHARMACY_RPC.reviewProof)
  review(@Payload() data: unknown) {
    const { caller, ...input } = parseRequest(ReviewProofRequestSchema, data);
    return this.reviewProof.execute(caller, input);
  }
}
