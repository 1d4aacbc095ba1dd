-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "inboxWaitingAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "InboxNote" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboxRead" (
    "conversationId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "lastReadId" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboxRead_pkey" PRIMARY KEY ("conversationId","username")
);

-- CreateTable
CREATE TABLE "CannedReply" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CannedReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InboxNote_conversationId_id_idx" ON "InboxNote"("conversationId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CannedReply_title_key" ON "CannedReply"("title");

-- AddForeignKey
ALTER TABLE "InboxNote" ADD CONSTRAINT "InboxNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboxRead" ADD CONSTRAINT "InboxRead_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
