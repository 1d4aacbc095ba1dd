-- AlterTable
ALTER TABLE "ReformModel" ADD COLUMN     "agencyChanged" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "agencyNow" TEXT,
ADD COLUMN     "placeCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sourceNote" TEXT,
ALTER COLUMN "year" DROP NOT NULL;
