// Mock panel templates: the built-in ones (agents/panel/templates.ts) and each user's own. A template is
// checked twice: its shape by the contract (400), then what only the question bank knows by the panel's own
// validator (422: a competency without questions, a veto without a bar raiser, two panelists on one voice).
import { Unprocessable } from '../../core/errors.js';
import * as panels from '../../core/stores/panels.js';
import { parsePanelTemplate, type PanelTemplate } from '../../agents/panel/template.js';
import { PANEL_TEMPLATES } from '../../agents/panel/templates.js';
import type { PanelTemplateBody, PanelTemplateEntry } from '../../contract/index.js';
import { badRequest, conflict } from '../errors.js';
import type { ApiDeps } from '../context.js';

const builtIn = (id: string) => PANEL_TEMPLATES.find((t) => t.id === id);

export function createPanelService({ db }: Pick<ApiDeps, 'db'>) {
  return {
    async list(ownerId: string): Promise<PanelTemplateEntry[]> {
      const own = await panels.listOf(db, ownerId);
      return [
        ...PANEL_TEMPLATES.map((t) => ({ ...t, builtIn: true })),
        ...own.map((t) => ({ ...t, builtIn: false })),
      ];
    },

    /** The template a new session runs on: a built-in one, or one of the owner's; else a 400. */
    async resolve(ownerId: string, id: string): Promise<PanelTemplate> {
      const found = builtIn(id) ?? (await panels.ofOwner(db, ownerId, id));
      if (!found) throw badRequest(`panel template ${id} does not exist`);
      return parsePanelTemplate(found);
    },

    async create(ownerId: string, body: PanelTemplateBody): Promise<PanelTemplateEntry> {
      let template: PanelTemplate;
      try {
        template = parsePanelTemplate(body);
      } catch (err) {
        throw new Unprocessable((err as Error).message);
      }
      if (builtIn(template.id))
        throw conflict(`${template.id} is the id of a built-in panel; choose another`);
      if (!(await panels.create(db, ownerId, template)))
        throw conflict(`you already have a panel template with the id ${template.id}`);
      return { ...template, builtIn: false };
    },
  };
}
