Console.WriteLine("rerank");
