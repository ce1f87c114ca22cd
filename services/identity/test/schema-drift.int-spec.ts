import path from 'node:path';
import { describeSchemaDrift } from '../../../test/support/schema-drift-suite';

describeSchemaDrift('identity', path.join(__dirname, '..'));
