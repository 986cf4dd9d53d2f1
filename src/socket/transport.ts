// The seam between the socket logic and the kernel. The real transport is an
// AF_NETLINK socket (kernel-transport.ts); tests plug in a scripted fake
// kernel (fake-kernel.ts) and fault injectors through the same interface.

/** Event-driven delivery of datagrams (no threadpool, no blocking). */
export interface Watch {
  /** Stops delivery; returns datagrams read from the kernel but not yet delivered. */
  stop(): Buffer[];
  /** Whether this watch alone keeps the process alive. */
  ref(): void;
  /** Lets the process end while the watch is open. */
  unref(): void;
}

/** Where a socket's datagrams go: the kernel ({@link KernelTransport}) or a fake one in tests ({@link FakeKernel}). */
export interface Transport {
  /** The netlink port id the kernel assigned (nl_pid). */
  readonly portId: number;
  readonly closed: boolean;
  /** Sends one datagram to the kernel. Throws OsError (EMSGSIZE, ENOBUFS, EBADF...). */
  send(datagram: Buffer): void;
  /**
   * Copies the next queued datagram into buf and returns its length, or -1
   * when nothing is queued. Never waits. Throws OsError (ENOBUFS when the
   * kernel dropped messages because the receive buffer overflowed).
   */
  receive(buf: Buffer): number;
  /**
   * Delivers datagrams as they arrive, until stopped. While a watch is
   * active, receive() is not used. onError gets OsError (ENOBUFS is not
   * fatal: delivery continues after it).
   */
  watch(onData: (datagram: Buffer) => void, onError: (err: Error) => void): Watch;
  /**
   * The receive buffer as the kernel accounts it (SO_RCVBUF: twice what was
   * asked). Batches bound what they leave unread by it. Absent: unbounded.
   */
  receiveBufferSize?(): number;
  /** Asks for a bigger receive buffer (SO_RCVBUFFORCE where allowed); returns the size now in force. */
  setReceiveBufferSize?(bytes: number): number;
  /** Messages the kernel dropped for want of receive buffer since the socket was opened (exact). Absent: unknown. */
  drops?(): number;
  /** A new fd on the network namespace the socket lives in, with what closes it. */
  openNetns?(): {
    /** The namespace's file descriptor. */
    fd: number;
    /** Closes `fd`; a second call must do nothing. */
    close(): void;
  };
  /** Joins / leaves a multicast group (NETLINK_ADD_MEMBERSHIP / DROP). */
  addMembership(group: number): void;
  /** Leaves a multicast group. */
  dropMembership(group: number): void;
  /** Closes the socket. */
  close(): void;
}
