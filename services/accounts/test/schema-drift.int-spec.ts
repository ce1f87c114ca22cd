import path from 'node:path';
import { describeSchemaDrift } from '../../../test/support/schema-drift-suite';

describeSchemaDrift('accounts', path.join(__dirname, '..'));
