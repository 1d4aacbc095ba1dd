-- CreateTable
CREATE TABLE "AdminProvince" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "mergedFrom" JSONB NOT NULL,
    "communeCount" INTEGER NOT NULL,
    "countsByType" JSONB NOT NULL,
    "resolution" TEXT NOT NULL,
    "resolutionDate" DATE NOT NULL,
    "adminCenter" TEXT,

    CONSTRAINT "AdminProvince_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "AdminCommune" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "nameVariants" TEXT[],
    "resolution" TEXT NOT NULL,
    "resolutionDate" DATE NOT NULL,
    "resolutionClause" TEXT,
    "resolutionStatus" TEXT NOT NULL,

    CONSTRAINT "AdminCommune_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "AdminOldUnit" (
    "row" INTEGER NOT NULL,
    "communeCode" TEXT,
    "communeName" TEXT,
    "districtCode" TEXT NOT NULL,
    "districtName" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "provinceName" TEXT NOT NULL,
    "nameVariants" TEXT[],
    "codeFlag" TEXT,
    "nsoNote" TEXT NOT NULL,
    "mergeType" TEXT NOT NULL,
    "splitInto" INTEGER NOT NULL,
    "newCommuneCode" TEXT NOT NULL,

    CONSTRAINT "AdminOldUnit_pkey" PRIMARY KEY ("row")
);

-- CreateTable
CREATE TABLE "AdminDataset" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "counts" JSONB NOT NULL,
    "manifest" JSONB NOT NULL,
    "loadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminDataset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminCommune_provinceCode_idx" ON "AdminCommune"("provinceCode");

-- CreateIndex
CREATE INDEX "AdminOldUnit_communeCode_idx" ON "AdminOldUnit"("communeCode");

-- CreateIndex
CREATE INDEX "AdminOldUnit_newCommuneCode_idx" ON "AdminOldUnit"("newCommuneCode");

-- CreateIndex
CREATE INDEX "AdminOldUnit_districtCode_idx" ON "AdminOldUnit"("districtCode");

-- AddForeignKey
ALTER TABLE "AdminCommune" ADD CONSTRAINT "AdminCommune_provinceCode_fkey" FOREIGN KEY ("provinceCode") REFERENCES "AdminProvince"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminOldUnit" ADD CONSTRAINT "AdminOldUnit_newCommuneCode_fkey" FOREIGN KEY ("newCommuneCode") REFERENCES "AdminCommune"("code") ON DELETE CASCADE ON UPDATE CASCADE;
