/**
 * What tells this gateway that a principal it may have cached changed: identity's events
 * (suspended, approved, tokens revoked, clinic membership, pharmacy link), on a subscription of
 * this process's own. `userId` null means "anything may have changed": the subscription went down
 * or came back, and events may have been missed.
 */
export type AccessChangeListener = (userId: string | null) => void;

export abstract class AccessEvents {
  /** True only while every event that invalidates a principal reaches this process. */
  abstract isLive(): boolean;
  abstract onChange(listener: AccessChangeListener): void;
}

/** No subscription (principal cache off, or tests): never live, so every request asks identity. */
export class NoAccessEvents extends AccessEvents {
  isLive(): boolean {
    return false;
  }

  onChange(): void {}
}
