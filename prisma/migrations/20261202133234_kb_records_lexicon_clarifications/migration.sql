-- AlterTable
ALTER TABLE "Faq" ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedBy" TEXT;

-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedBy" TEXT;

-- AlterTable
ALTER TABLE "Procedure" ADD COLUMN     "channels" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "competentBody" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "conditions" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "decision" TEXT,
ADD COLUMN     "documentsToShow" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "eligibility" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "feeByProvince" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "portalUrl" TEXT,
ADD COLUMN     "result" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "source" TEXT,
ADD COLUMN     "sourceDate" TIMESTAMP(3),
ADD COLUMN     "steps" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedBy" TEXT;

-- AlterTable
ALTER TABLE "ReformModel" ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedBy" TEXT;

-- CreateTable
CREATE TABLE "LexiconTerm" (
    "id" SERIAL NOT NULL,
    "term" TEXT NOT NULL,
    "means" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LexiconTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Clarification" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "aspect" TEXT,
    "options" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "pickedProcedureId" INTEGER,
    "pickedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Clarification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LexiconTerm_term_key" ON "LexiconTerm"("term");

-- CreateIndex
CREATE INDEX "Clarification_status_createdAt_idx" ON "Clarification"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Clarification_channel_userId_createdAt_idx" ON "Clarification"("channel", "userId", "createdAt");
