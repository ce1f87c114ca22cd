import path from 'node:path';
import { describeSchemaDrift } from '../../../test/support/schema-drift-suite';

describeSchemaDrift('pharmacy', path.join(__dirname, '..'));
