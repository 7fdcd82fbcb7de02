export interface ViolationReactions {
  commands: {
    commandId: string;
    type: string;
    orderId: string | null;
    status: string;
    attempts: number;
    lastError: string | null;
  }[];
  mails: {
    messageId: string;
    kind: string;
    status: string;
    attempts: number;
    sentAt: Date | null;
    lastError: string | null;
  }[];
}

export interface ViolationView {
  id: string;
  invariant: string;
  key: string;
  status: 'open' | 'resolved';
  detectedAt: Date;
  resolvedAt: Date | null;
  details: Record<string, unknown>;
  reactions: ViolationReactions;
}
