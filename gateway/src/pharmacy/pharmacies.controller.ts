import { Body, Controller, Param, Query } from '@nestjs/common';
import {
  type CreatePharmacyRequest,
  CURRENCY,
  InventoryViewSchema,
  type ListPharmaciesRequest,
  NearbyPharmaciesViewSchema,
  type NearbyRequest,
  PHARMACY_RPC,
  type PharmacyIdRequest,
  PharmacyPageViewSchema,
  PharmacyViewSchema,
  type ReplaceInventoryRequest,
  type ScanCredentialRequest,
  ScanResultViewSchema,
  type UpdatePharmacyRequest,
} from '@prescriptchain/contracts';
import { CurrentPrincipal, type Principal } from '../access/principal';
import { assertPharmacyScope } from '../access/scope';
import { Page } from '../http/envelope';
import { toWire } from '../http/money';
import { parseReply } from '../http/rpc-reply';
import { BackendRpc } from '../ports/backend-rpc';
import { Route, type RouteInput } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { pharmacyCallerOf } from './pharmacy-caller';

type In<K extends keyof typeof ROUTES, P extends 'params' | 'query' | 'body'> = RouteInput<
  (typeof ROUTES)[K],
  P
>;

/** The pharmacy directory (admins), a pharmacy's declared supply (its operators), the public nearby search and credential scans. */
@Controller()
export class PharmaciesController {
  constructor(private readonly rpc: BackendRpc) {}

  @Route(ROUTES.createPharmacy)
  async create(@Body() body: In<'createPharmacy', 'body'>, @CurrentPrincipal() principal: Principal) {
    const request: CreatePharmacyRequest = { caller: pharmacyCallerOf(principal), ...body };
    return this.pharmacy(PHARMACY_RPC.createPharmacy, request);
  }

  @Route(ROUTES.listPharmacies)
  async list(@Query() query: In<'listPharmacies', 'query'>, @CurrentPrincipal() principal: Principal) {
    const request: ListPharmaciesRequest = { caller: pharmacyCallerOf(principal), ...query };
    const { items, page, limit, total } = parseReply(
      PharmacyPageViewSchema,
      PHARMACY_RPC.listPharmacies,
      await this.rpc.call(PHARMACY_RPC.listPharmacies, request),
    );
    return new Page(items, page, limit, total);
  }

  @Route(ROUTES.getPharmacy)
  async get(@Param() { id }: In<'getPharmacy', 'params'>, @CurrentPrincipal() principal: Principal) {
    const request: PharmacyIdRequest = { caller: pharmacyCallerOf(principal), pharmacyId: id };
    return this.pharmacy(PHARMACY_RPC.getPharmacy, request);
  }

  @Route(ROUTES.updatePharmacy)
  async update(
    @Param() { id }: In<'updatePharmacy', 'params'>,
    @Body() body: In<'updatePharmacy', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const request: UpdatePharmacyRequest = { caller: pharmacyCallerOf(principal), pharmacyId: id, ...body };
    return this.pharmacy(PHARMACY_RPC.updatePharmacy, request);
  }

  /** Another pharmacy's list is 404 here, as for one that does not exist; pharmacy checks its own links again. */
  @Route(ROUTES.replaceInventory)
  async replaceInventory(
    @Param() { id }: In<'replaceInventory', 'params'>,
    @Body() body: In<'replaceInventory', 'body'>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertPharmacyScope(principal, id);
    const request: ReplaceInventoryRequest = {
      caller: pharmacyCallerOf(principal),
      pharmacyId: id,
      items: body.items.map((i) => ({
        medicineId: i.medicineId,
        wholesalePriceCents: i.wholesalePrice,
        available: i.available,
      })),
    };
    const reply = await this.rpc.call(PHARMACY_RPC.replaceInventory, request);
    return { ...toWire(parseReply(InventoryViewSchema, PHARMACY_RPC.replaceInventory, reply)), currency: CURRENCY };
  }

  @Route(ROUTES.nearbyPharmacies)
  async nearby(@Query() query: In<'nearbyPharmacies', 'query'>) {
    const request: NearbyRequest = {
      lat: query.lat,
      lng: query.lng,
      radiusKm: query.radius,
      limit: query.limit,
      ...(query.medicines && { medicineIds: query.medicines }),
    };
    const reply = await this.rpc.call(PHARMACY_RPC.nearby, request);
    return parseReply(NearbyPharmaciesViewSchema, PHARMACY_RPC.nearby, reply);
  }

  @Route(ROUTES.scanCredential)
  async scan(@Body() body: In<'scanCredential', 'body'>, @CurrentPrincipal() principal: Principal) {
    const caller = pharmacyCallerOf(principal);
    const request: ScanCredentialRequest =
      body.qrCodeData !== undefined
        ? { caller, qrCodeData: body.qrCodeData }
        : { caller, platformOrderId: body.platformOrderId!, verificationCode: body.verificationCode! };
    const reply = await this.rpc.call(PHARMACY_RPC.scanCredential, request);
    return toWire(parseReply(ScanResultViewSchema, PHARMACY_RPC.scanCredential, reply));
  }

  private async pharmacy(pattern: string, request: unknown) {
    return parseReply(PharmacyViewSchema, pattern, await this.rpc.call(pattern, request));
  }
}
