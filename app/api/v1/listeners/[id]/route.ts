export { getListenerRoute as GET, patchListenerRoute as PATCH, deleteListenerRoute as DELETE } from "@/lib/api/listeners-routes";
