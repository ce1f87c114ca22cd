import path from 'node:path';
import { describeSchemaDrift } from '../../../test/support/schema-drift-suite';

describeSchemaDrift('orders', path.join(__dirname, '..'));
