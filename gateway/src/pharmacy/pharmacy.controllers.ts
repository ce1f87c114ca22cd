import { ClaimsController } from './claims.controller';
import { FilesController } from './files.controller';
import { FulfillmentController } from './fulfillment.controller';
import { PharmaciesController } from './pharmacies.controller';

/** The controllers of the pharmacy area (AppModule provides their BackendRpc). */
export const PHARMACY_CONTROLLERS = [
  PharmaciesController,
  ClaimsController,
  FilesController,
  FulfillmentController,
];
