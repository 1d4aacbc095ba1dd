-- AlterTable
ALTER TABLE "Dossier" ADD COLUMN     "notePublic" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "DossierEvent" ADD COLUMN     "notePublic" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "HomeServiceRequest" ADD COLUMN     "preferredDate" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "workingHours" TEXT;

-- CreateTable
CREATE TABLE "DossierOwner" (
    "id" SERIAL NOT NULL,
    "dossierId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DossierOwner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "origin" TEXT NOT NULL DEFAULT 'citizen',
    "withinHours" BOOLEAN NOT NULL DEFAULT true,
    "backAt" TIMESTAMP(3),
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "escalatedAt" TIMESTAMP(3),
    "heldAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closedBy" TEXT,
    "ticketCode" TEXT,

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DossierOwner_channel_userId_idx" ON "DossierOwner"("channel", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "DossierOwner_dossierId_channel_userId_key" ON "DossierOwner"("dossierId", "channel", "userId");

-- CreateIndex
CREATE INDEX "Handoff_status_requestedAt_idx" ON "Handoff"("status", "requestedAt");

-- CreateIndex
CREATE INDEX "Handoff_conversationId_idx" ON "Handoff"("conversationId");

-- AddForeignKey
ALTER TABLE "DossierOwner" ADD CONSTRAINT "DossierOwner_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
