import path from 'node:path';
import { describeSchemaDrift } from '../../../test/support/schema-drift-suite';

describeSchemaDrift('notifications', path.join(__dirname, '..'));
