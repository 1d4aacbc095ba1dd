import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AdminData, CommuneRow, OldUnitRow } from './schema.js';

// The administrative map as the database holds it, in the same shape the file reader returns, so the place
// index is built the same way in production (from the database) and in scripts (from the files).

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export class AdminDataMissingError extends Error {}

export async function readAdminDataFromDb(prisma: PrismaClient): Promise<AdminData> {
  const [state, provinces, communes, oldUnits] = await Promise.all([
    prisma.adminDataset.findUnique({ where: { id: 1 } }),
    prisma.adminProvince.findMany({ orderBy: { code: 'asc' } }),
    prisma.adminCommune.findMany({ orderBy: { code: 'asc' } }),
    prisma.adminOldUnit.findMany({ orderBy: { row: 'asc' } }),
  ]);
  if (!state) throw new AdminDataMissingError('The administrative map is not loaded: prepareDatabase loads it at start-up.');
  const manifest = state.manifest as { effectiveDate: string; provinceResolution: AdminData['provinceResolution'] };
  return {
    version: state.version,
    effectiveDate: manifest.effectiveDate,
    provinceResolution: manifest.provinceResolution,
    provinces: provinces.map((p) => ({
      code: p.code, name: p.name, type: p.type, mergedFrom: p.mergedFrom as Array<{ code: string; name: string }>,
      communeCount: p.communeCount, countsByType: p.countsByType as Record<string, number>,
      resolution: p.resolution, resolutionDate: isoDate(p.resolutionDate), adminCenter: p.adminCenter,
    })),
    communes: communes.map((c): CommuneRow => ({
      code: c.code, name: c.name, type: c.type as CommuneRow['type'], provinceCode: c.provinceCode,
      nameVariants: c.nameVariants, resolution: c.resolution, resolutionDate: isoDate(c.resolutionDate),
      resolutionClause: c.resolutionClause, resolutionStatus: c.resolutionStatus as CommuneRow['resolutionStatus'],
    })),
    oldUnits: oldUnits.map((o): OldUnitRow => ({
      row: o.row, communeCode: o.communeCode, communeName: o.communeName, districtCode: o.districtCode,
      districtName: o.districtName, provinceCode: o.provinceCode, provinceName: o.provinceName,
      nameVariants: o.nameVariants, codeFlag: o.codeFlag, nsoNote: o.nsoNote, mergeType: o.mergeType as OldUnitRow['mergeType'],
      splitInto: o.splitInto, newCommuneCode: o.newCommuneCode,
    })),
  };
}
