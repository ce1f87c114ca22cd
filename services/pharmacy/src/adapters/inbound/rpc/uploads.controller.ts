import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CheckUploadRequestSchema, PHARMACY_RPC, parseRequest } from '@prescriptchain/contracts';
import { CheckUploadHandler } from '../../../application/files/check-upload/check-upload.handler';

/** The gateway's check of an upload URL before it reads the upload's body. */
@Controller()
export class UploadsController {
  constructor(private readonly checkUpload: CheckUploadHandler) {}

  @MessagePattern(PHARMACY_RPC.checkUpload)
  check(@Payload() data: unknown) {
    return this.checkUpload.execute(parseRequest(CheckUploadRequestSchema, data));
  }
}
