import { MedicinesController } from '../catalogue/medicines.controller';
import { TemplatesController } from '../catalogue/templates.controller';
import { KpisController } from './kpis.controller';
import { OrderCredentialsController } from './order-credentials.controller';
import { OrderOutcomeWaiter } from './order-outcome.waiter';
import { OrdersController } from './orders.controller';

/** The catalogue, template, order, credential and KPI routes, and what they need beyond AppModule's providers. */
export const ORDERS_HTTP = {
  controllers: [
    MedicinesController,
    TemplatesController,
    OrdersController,
    OrderCredentialsController,
    KpisController,
  ],
  providers: [OrderOutcomeWaiter],
};
