// The `file` source kind (README.md in sources/).
import { defineSourceKind } from '../kind.ts';
import { fileSourceSchema } from './file-config.ts';
import { FileSource } from './file.ts';

export const fileKind = defineSourceKind({
  type: 'file',
  schema: fileSourceSchema,
  resolvePaths: (config, local) => {
    config.path = local(config.path);
  },
  create: (config, context) => new FileSource(config, context),
});
