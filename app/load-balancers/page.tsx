import type { Metadata } from "next";
import { LoadBalancersPage } from "@/components/load-balancers/load-balancers-page";

export const metadata: Metadata = { title: "Load Balancers" };
export default LoadBalancersPage;
