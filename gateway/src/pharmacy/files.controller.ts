import { Body, Controller, Param, Req, Res, StreamableFile } from '@nestjs/common';
import {
  type CheckUploadRequest,
  CodedError,
  ConfirmedFileViewSchema,
  type ConfirmFileRequest,
  type CreateUploadUrlRequest,
  type GetFileRequest,
  PHARMACY_RPC,
  type PutFileRequest,
  PutFileViewSchema,
  StoredFileBytesViewSchema,
  UPLOAD_CONTENT_TYPES,
  UploadCheckViewSchema,
  UploadUrlViewSchema,
} from '@prescriptchain/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { pharmacyCallerOf } from './pharmacy-caller';
import { publicUrl } from './public-url';
import { mediaTypeOf, readUploadBody } from './raw-upload-body';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/** The characters and length of the tokens pharmacy signs (base64url parts joined by dots; pharmacy.rpc: 10–2048). */
const TOKEN = /^[A-Za-z0-9._-]{10,2048}$/;

/**
 * A signed file URL's token that cannot be one of ours is refused as pharmacy would refuse an
 * altered one (401 1001: the URL is the credential), without asking it.
 */
function assertTokenShape(token: string): void {
  if (!TOKEN.test(token))
    throw new CodedError('INVALID_CREDENTIALS', 'The file link is invalid or has expired.');
}

const isUploadType = (type: string | undefined): type is (typeof UPLOAD_CONTENT_TYPES)[number] =>
  (UPLOAD_CONTENT_TYPES as readonly string[]).includes(type ?? '');

/** `inline; filename="photo.png"; filename*=UTF-8''…`: an ASCII fallback and the exact name (RFC 6266). */
function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Files for proofs of dispensing. Pharmacy owns them and signs their URLs; with the local store the
 * URLs point here, and the bytes travel to and from pharmacy over RPC (base64). Holding a signed
 * URL is the permission to use it, so those two routes are public.
 */
@Controller()
export class FilesController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.createUploadUrl)
  async createUploadUrl(
    @Body() body: In<'createUploadUrl', 'body'>,
    @CurrentPrincipal() principal: Principal,
    @Req() req: IncomingMessage,
  ) {
    const request: CreateUploadUrlRequest = { caller: pharmacyCallerOf(principal), ...body };
    const target = parseReply(
      UploadUrlViewSchema,
      PHARMACY_RPC.createUploadUrl,
      await this.rpc.call(PHARMACY_RPC.createUploadUrl, request),
    );
    return { ...target, uploadUrl: publicUrl(req, target.uploadUrl) };
  }

  /**
   * The URL is checked with pharmacy before a byte of the body is read: a forged or expired one is
   * refused at once (and its connection closed, its body never read), a good one is read up to the
   * size declared for it. The route is rate-limited per client address.
   */
  @Route(ROUTES.uploadFile)
  async upload(
    @Param() { token }: In<'uploadFile', 'params'>,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    // Until the body is read, any answer ends the connection: its unread bytes are not waited for.
    res.setHeader('Connection', 'close');
    assertTokenShape(token);
    const contentType = mediaTypeOf(req.headers['content-type']);
    if (!isUploadType(contentType))
      throw new CodedError(
        'MALFORMED_REQUEST',
        `Send the file as its bytes with the Content-Type it was declared with (${UPLOAD_CONTENT_TYPES.join(', ')}).`,
      );
    const check: CheckUploadRequest = { token };
    const allowed = parseReply(
      UploadCheckViewSchema,
      PHARMACY_RPC.checkUpload,
      await this.rpc.call(PHARMACY_RPC.checkUpload, check),
    );
    const bytes = await readUploadBody(req, allowed.maxBytes);
    res.removeHeader('Connection');
    if (!bytes.length)
      throw new CodedError('VALIDATION_FAILED', 'The file is empty.', [
        { in: 'body', path: '', message: 'must carry the file’s bytes' },
      ]);
    const request: PutFileRequest = { token, base64: bytes.toString('base64') };
    const reply = await this.rpc.call(PHARMACY_RPC.putFile, request);
    return parseReply(PutFileViewSchema, PHARMACY_RPC.putFile, reply);
  }

  @Route(ROUTES.downloadFile)
  async download(
    @Param() { token }: In<'downloadFile', 'params'>,
    @Res({ passthrough: true }) res: ServerResponse,
  ) {
    assertTokenShape(token);
    const request: GetFileRequest = { token };
    const file = parseReply(
      StoredFileBytesViewSchema,
      PHARMACY_RPC.getFile,
      await this.rpc.call(PHARMACY_RPC.getFile, request),
    );
    const bytes = Buffer.from(file.base64, 'base64');
    const image = file.contentType.startsWith('image/');
    // A signed URL to a health record: never kept by shared caches. Images may be shown by a portal
    // on another origin (helmet's default would block that); a PDF is downloaded, not rendered here.
    res.setHeader('Cache-Control', 'private, no-store');
    if (image) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    return new StreamableFile(bytes, {
      type: file.contentType,
      length: bytes.length,
      disposition: contentDisposition(image ? 'inline' : 'attachment', file.fileName),
    });
  }

  @Route(ROUTES.confirmFile)
  async confirm(@Body() body: In<'confirmFile', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: ConfirmFileRequest = { caller: pharmacyCallerOf(principal), ...body };
    const reply = await this.rpc.call(PHARMACY_RPC.confirmFile, request);
    return parseReply(ConfirmedFileViewSchema, PHARMACY_RPC.confirmFile, reply);
  }
}
