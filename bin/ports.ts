/** The ports one Guardyn process listens on (absent: that role or listener does not run here). */
export interface ProcessPorts {
  auth?: number;
  messaging?: number;
  presence?: number;
  media?: number;
  mediaHttp?: number;
  websocket?: number;
  notifications?: number;
  metrics?: number;
  calls?: number;
  callsWebsocket?: number;
}
