import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueRpcController } from './adapters/inbound/rpc/catalogue-rpc.controller';
import { TemplatesRpcController } from './adapters/inbound/rpc/templates-rpc.controller';
import { PrismaMedicineRepository } from './adapters/outbound/prisma/prisma-medicine.repository';
import { PrismaTemplateRepository } from './adapters/outbound/prisma/prisma-template.repository';
import { CreateMedicineHandler } from './application/catalogue/create-medicine/create-medicine.handler';
import { GetMedicineHandler } from './application/catalogue/get-medicine/get-medicine.handler';
import { GetMedicinePricesHandler } from './application/catalogue/get-medicine-prices/get-medicine-prices.handler';
import { MedicineCatalogue } from './application/ports/medicine-catalogue';
import { MedicineRepository } from './application/ports/medicine-repository';
import { RetireMedicineHandler } from './application/catalogue/retire-medicine/retire-medicine.handler';
import { SearchMedicinesHandler } from './application/catalogue/search-medicines/search-medicines.handler';
import { SeedCatalogueHandler } from './application/catalogue/seed-catalogue/seed-catalogue.handler';
import { CatalogueSearchIndexService } from './application/catalogue/search-index/catalogue-search-index.service';
import { IndexedMedicineRepository } from './application/catalogue/search-index/indexed-medicine-repository';
import { CatalogueIndexSource } from './application/ports/catalogue-index-source';
import { UpdateMedicineHandler } from './application/catalogue/update-medicine/update-medicine.handler';
import { CreateTemplateHandler } from './application/templates/create-template/create-template.handler';
import { DeleteTemplateHandler } from './application/templates/delete-template/delete-template.handler';
import { GetTemplateHandler } from './application/templates/get-template/get-template.handler';
import { ListTemplatesHandler } from './application/templates/list-templates/list-templates.handler';
import { TemplateRepository } from './application/ports/template-repository';
import { UpdateTemplateHandler } from './application/templates/update-template/update-template.handler';

/** Seeds the catalogue before the service takes requests (a no-op read when the data is unchanged). */
@Injectable()
class SeedCatalogueOnStart implements OnModuleInit {
  private readonly log = new Logger('CatalogueSeed');

  constructor(private readonly seed: SeedCatalogueHandler) {}

  async onModuleInit(): Promise<void> {
    const r = await this.seed.execute();
    if (r.status === 'applied')
      this.log.log(`catalogue seeded: ${r.medicines} medicines (${r.inserted} new, ${r.updated} updated)`);
  }
}

/**
 * The medicine catalogue (search, admin CRUD, start-up seed) and prescription templates, answering
 * `orders.medicines.*` and `orders.templates.*`. Search runs on this replica's in-memory index
 * (CatalogueSearchIndexService), built after start-up and refreshed on every write through this
 * replica and every CATALOGUE_INDEX_REFRESH_MS for writes through others. Exports `MedicineCatalogue`, the by-id lookup orders
 * use to price and safety-check a formula. Needs `OrdersPrismaService` from the global
 * `OrdersPrismaModule.forRoot()`.
 */
@Module({
  controllers: [CatalogueRpcController, TemplatesRpcController],
  providers: [
    PrismaMedicineRepository,
    { provide: CatalogueIndexSource, useExisting: PrismaMedicineRepository },
    CatalogueSearchIndexService,
    {
      provide: MedicineRepository,
      useFactory: (table: PrismaMedicineRepository, index: CatalogueSearchIndexService) =>
        new IndexedMedicineRepository(table, index),
      inject: [PrismaMedicineRepository, CatalogueSearchIndexService],
    },
    { provide: MedicineCatalogue, useExisting: PrismaMedicineRepository },
    { provide: TemplateRepository, useClass: PrismaTemplateRepository },
    SearchMedicinesHandler,
    GetMedicineHandler,
    GetMedicinePricesHandler,
    CreateMedicineHandler,
    UpdateMedicineHandler,
    RetireMedicineHandler,
    SeedCatalogueHandler,
    SeedCatalogueOnStart,
    ListTemplatesHandler,
    GetTemplateHandler,
    CreateTemplateHandler,
    UpdateTemplateHandler,
    DeleteTemplateHandler,
  ],
  exports: [MedicineCatalogue],
})
export class CatalogueModule {}
